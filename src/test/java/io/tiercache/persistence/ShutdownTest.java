package io.tiercache.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGTERM to a JVM with open cache managers closes them cleanly through tiercache's shutdown hook: RocksDB's
 * clean close flushes its memtable into table files, leaving no write-ahead log to replay. A SIGKILL, which runs
 * no hook, shows what the test tells apart: the entries come back from the log, which still holds them.
 */
class ShutdownTest {

  @TempDir
  Path directory;

  @Test
  void aSigtermClosesOpenManagersSoDiskTiersCloseCleanly() throws Exception {
    Path terminated = directory.resolve("terminated");
    try (ChildJvm child = ChildJvm.start(ShutdownChild.class, terminated.toString())) {
      child.awaitLine("READY", 60);
      child.terminate(60);
    }
    assertThat(walBytes(terminated)).as("write-ahead log left to replay after SIGTERM").isZero();
    assertThat(entriesAfterRestart(terminated)).isEqualTo(ShutdownChild.ENTRIES);

    Path killed = directory.resolve("killed");
    try (ChildJvm child = ChildJvm.start(ShutdownChild.class, killed.toString())) {
      child.awaitLine("READY", 60);
      child.kill();
    }
    assertThat(walBytes(killed)).as("without a clean close (SIGKILL) the log holds the entries").isPositive();
    assertThat(entriesAfterRestart(killed)).isEqualTo(ShutdownChild.ENTRIES);
  }

  private static long entriesAfterRestart(Path directory) {
    try (CacheManager manager = ShutdownChild.manager(directory.toString(), "shutdown-parent-"
        + directory.getFileName())) {
      Cache<String, String> cache = manager.createCache("stopped", ShutdownChild.configuration());
      long found = 0;
      for (int i = 0; i < ShutdownChild.ENTRIES; i++) {
        if (("v" + i).equals(cache.get("k" + i))) {
          found++;
        }
      }
      return found;
    }
  }

  /** Bytes in RocksDB's write-ahead log files: what the next open would have to replay. */
  private static long walBytes(Path directory) throws Exception {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".log")
          && path.getParent().getFileName().toString().equals("rocksdb")).mapToLong(path -> path.toFile().length())
          .sum();
    }
  }
}
