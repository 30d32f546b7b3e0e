package io.tiercache.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fills a real, small file system (a 64 MiB tmpfs mounted for the test) under a MapDB and a RocksDB cache:
 * the write that cannot be stored fails with a {@code CacheException} naming the directory, reads go on
 * working, writes resume by themselves once space is freed, and after a restart every acknowledged entry is
 * there. Where this machine does not allow mounting (no privilege), {@link InjectedFullDiskTest} covers the
 * cache's side of the same promises with a store that fails the way a full disk does.
 */
class FullDiskTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();
  private static Path mount;

  @TempDir
  static Path parent;

  @BeforeAll
  static void mountTmpfs() throws Exception {
    Path target = Files.createDirectory(parent.resolve("small-disk"));
    String why;
    try {
      Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs",
          target.toString()).redirectErrorStream(true).start();
      boolean done = process.waitFor(20, TimeUnit.SECONDS);
      if (done && process.exitValue() == 0) {
        mount = target;
        return;
      }
      why = new String(process.getInputStream().readAllBytes()).trim();
    } catch (IOException noMountCommand) {
      why = noMountCommand.getMessage();
    }
    System.out.println("FullDiskTest: cannot mount a tmpfs here (" + why + "); InjectedFullDiskTest covers the"
        + " cache's side");
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:full-disk-" + MANAGERS.incrementAndGet()), FullDiskTest.class.getClassLoader(),
        properties);
  }

  private static Cache<String, byte[]> cache(CacheManager manager, String tier) {
    return manager.createCache("filling", TierCacheConfiguration.builder(String.class, byte[].class)
        .tiers(tier).build());
  }

  private static byte[] value(int i) {
    byte[] value = new byte[32 * 1024];
    java.util.Arrays.fill(value, (byte) i);
    value[0] = (byte) (i >>> 8);
    return value;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mapdb", "rocksdb"})
  void aFullDiskRefusesWritesKeepsReadsAndResumesOnItsOwn(String tier) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(mount != null, "tmpfs not mountable here");
    Path store = mount.resolve(tier);
    Path filler = mount.resolve("filler-" + tier);
    Map<String, byte[]> acknowledged = new LinkedHashMap<>();
    try (CacheManager manager = manager(store)) {
      Cache<String, byte[]> cache = cache(manager, tier);
      fill(filler, 24L << 20); // leave room for a few MiB of entries only
      CacheException refused = null;
      for (int i = 0; i < 4000 && refused == null; i++) {
        try {
          cache.put("k" + i, value(i));
          acknowledged.put("k" + i, value(i));
        } catch (CacheException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a write was refused once the disk filled").isNotNull();
      assertThat(refused.getMessage()).as("names where").contains(store.toString());
      assertThat(acknowledged).as("some writes went through first").isNotEmpty();
      for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
        assertThat(cache.get(entry.getKey())).as("read of %s on a full disk", entry.getKey())
            .isEqualTo(entry.getValue());
      }
      Files.delete(filler);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      boolean resumed = false;
      while (!resumed && System.nanoTime() < deadline) {
        try {
          cache.put("after", value(7));
          resumed = true;
        } catch (CacheException stillFull) {
          Thread.sleep(200);
        }
      }
      assertThat(resumed).as("writes resumed once space returned").isTrue();
      acknowledged.put("after", value(7));
    }
    try (CacheManager manager = manager(store)) {
      Cache<String, byte[]> cache = cache(manager, tier);
      for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
        assertThat(cache.get(entry.getKey())).as("%s after a restart", entry.getKey()).isEqualTo(entry.getValue());
      }
    }
  }

  /** Writes {@code leave} less than the free space of the mount, so it is nearly full. */
  private static void fill(Path filler, long leave) throws IOException {
    long free = Files.getFileStore(filler.getParent()).getUsableSpace();
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (long written = 0; written + chunk.length <= free - leave; written += chunk.length) {
        out.write(chunk);
      }
    }
  }

}
