package io.tiercache.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything tiercache writes is its owner's alone: directories 0700, files 0600, at every level. */
class StorePermissionsTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path parent;

  private CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:permissions-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
  }

  private static void useEveryKindOfFile(CacheManager manager) {
    for (List<String> tiers : List.of(List.of("mapdb"), List.of("rocksdb"))) {
      Cache<String, PersistenceTest.Invoice> cache = manager.createCache("c-" + tiers.get(0),
          TierCacheConfiguration.builder(String.class, PersistenceTest.Invoice.class)
              .tiers(tiers.toArray(new String[0])).allowlist("io.tiercache.persistence.*").build());
      for (int i = 0; i < 100; i++) {
        cache.put("k" + i, new PersistenceTest.Invoice("c" + i, i));
      }
    }
  }

  @Test
  void everyDirectoryIs0700AndEveryFile0600() throws Exception {
    Path store = parent.resolve("store");
    try (CacheManager manager = manager(store)) {
      useEveryKindOfFile(manager);
    }
    List<String> loose;
    try (Stream<Path> paths = Files.walk(store)) {
      loose = paths.filter(path -> {
        try {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
          return !mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------");
        } catch (java.io.IOException e) {
          return false; // deleted meanwhile
        }
      }).map(path -> store.relativize(path) + " " + permissionsOf(path)).collect(Collectors.toList());
    }
    assertThat(loose).as("paths readable or writable by others").isEmpty();
    try (Stream<Path> paths = Files.walk(store)) {
      assertThat(paths.map(p -> p.getFileName().toString()))
          .as("the kinds of file checked").contains("tiercache.lock", "kryo-classes.registry", "c-mapdb.db",
              "c-mapdb.db.log.0", "CURRENT", "tiercache-catalog");
    }
  }

  @Test
  void aWorldWritableDirectoryIsRefusedAndAReadableOneNarrowed() throws Exception {
    Path open = Files.createDirectory(parent.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (CacheManager manager = manager(open)) {
      assertThatThrownBy(() -> useEveryKindOfFile(manager)).isInstanceOf(CacheException.class)
          .hasMessageContaining(open.toString()).hasMessageContaining("writable by every user");
    }
    Path readable = Files.createDirectory(parent.resolve("readable"));
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (CacheManager manager = manager(readable)) {
      useEveryKindOfFile(manager);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readable))).isEqualTo("rwx------");
  }

  private static String permissionsOf(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
