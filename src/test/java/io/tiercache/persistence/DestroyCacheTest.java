package io.tiercache.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** destroyCache deletes a cache's records on disk whether or not this run of the manager opened the cache. */
class DestroyCacheTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path directory;

  private CacheManager manager() {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:destroy-" + MANAGERS.incrementAndGet()),
        getClass().getClassLoader(), properties);
  }

  private static TierCacheConfiguration<String, String> on(String tier) {
    return TierCacheConfiguration.builder(String.class, String.class).tiers(tier).build();
  }

  @Test
  void destroyingACacheThisRunNeverOpenedDeletesItsRecordsInEveryDiskTier() throws Exception {
    try (CacheManager first = manager()) {
      first.createCache("in-mapdb", on("mapdb")).put("k", "v");
      first.createCache("in-rocksdb", on("rocksdb")).put("k", "v");
      first.createCache("kept", on("rocksdb")).put("k", "v");
    }
    try (CacheManager second = manager()) {
      second.destroyCache("in-mapdb");
      second.destroyCache("in-rocksdb");
      second.destroyCache("never-existed");
    }
    assertThat(io.tiercache.tier.rocksdb.RocksDbTiers.cacheNames(directory.resolve("rocksdb")))
        .contains("kept").doesNotContain("in-rocksdb");
    try (Stream<Path> files = Files.list(directory.resolve("mapdb"))) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith("in-mapdb"));
    }
    // the RocksDB store still opens (its catalog forgot the family before it was dropped) and keeps the rest
    try (CacheManager third = manager()) {
      assertThat(third.createCache("in-mapdb", on("mapdb")).get("k")).isNull();
      assertThat(third.createCache("in-rocksdb", on("rocksdb")).get("k")).isNull();
      assertThat(third.createCache("kept", on("rocksdb")).get("k")).isEqualTo("v");
    }
  }

  @Test
  void aStoreWhoseUnflushedCacheWasDestroyedStillReopens() {
    try (CacheManager manager = manager()) {
      Cache<String, String> doomed = manager.createCache("doomed", on("rocksdb"));
      Cache<String, String> kept = manager.createCache("kept", on("rocksdb"));
      kept.put("k", "v");
      for (int i = 0; i < 100; i++) {
        doomed.put("k" + i, "v"); // the newest writes of the store, in the write-ahead log only
      }
      doomed.close();
      manager.destroyCache("doomed"); // closed, so no longer open: its column family is dropped
    }
    try (CacheManager reopened = manager()) {
      assertThat(reopened.createCache("kept", on("rocksdb")).get("k")).isEqualTo("v");
      assertThat(reopened.createCache("doomed", on("rocksdb")).get("k1")).isNull();
    }
  }

  @Test
  void destroyingAnOpenCacheEmptiesItAndAManagerWithoutADirectoryCreatesNone() {
    try (CacheManager manager = manager()) {
      Cache<String, String> cache = manager.createCache("open", on("rocksdb"));
      cache.put("k", "v");
      manager.destroyCache("open");
      assertThat(cache.isClosed()).isTrue();
      assertThat(manager.createCache("open", on("rocksdb")).get("k")).isNull();
    }
    Path elsewhere = directory.resolve("not-yet");
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, elsewhere.toString());
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create("tiercache:destroy-none"),
        getClass().getClassLoader(), properties)) {
      manager.destroyCache("anything");
    }
    assertThat(elsewhere).doesNotExist();
  }
}
