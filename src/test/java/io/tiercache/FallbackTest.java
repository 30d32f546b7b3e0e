package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.routing.CompositeTier;
import io.tiercache.tier.TierUnavailableException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines that cannot start: the cache degrades to the next tier, or fails fast when strict. */
class FallbackTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path directory;

  private final Runnable realRocksDbCheck = TierAssembly.rocksDbAvailability;

  @AfterEach
  void restore() {
    TierAssembly.rocksDbAvailability = realRocksDbCheck;
  }

  private CacheManager manager(Path dir) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, dir.toString());
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:fallback-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
  }

  private void simulateMissingRocksDbLibrary() {
    TierAssembly.rocksDbAvailability = () -> {
      throw new TierUnavailableException("RocksDB's native library cannot be loaded on this machine: "
          + "java.lang.UnsatisfiedLinkError: no rocksdbjni in java.library.path", new UnsatisfiedLinkError());
    };
  }

  @Test
  void withoutRocksDbItsEntriesGoToTheNextConfiguredTier() {
    simulateMissingRocksDbLibrary();
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("degraded",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb", "mapdb").build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(cache.unwrap(org.mapdb.HTreeMap.class)).as("MapDB holds the entries").isNotNull();
      assertThat(cache.unwrap(org.mapdb.HTreeMap.class).size()).isEqualTo(1);
      assertThat(Files.exists(directory.resolve("rocksdb"))).isFalse();
    }
  }

  @Test
  void withoutRocksDbAStrictCacheFailsWithTheCause() {
    simulateMissingRocksDbLibrary();
    try (CacheManager manager = manager(directory)) {
      assertThatThrownBy(() -> manager.createCache("strict",
          TierCacheConfiguration.builder(String.class, String.class).tiers("heap", "rocksdb").strict(true).build()))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("'strict'").hasMessageContaining("rocksdb").hasMessageContaining("UnsatisfiedLinkError")
          .hasCauseInstanceOf(TierUnavailableException.class);
      assertThat(manager.getCache("strict")).isNull();
    }
  }

  @Test
  void anUnwritableDirectoryDegradesToTheHeap() throws Exception {
    Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
    try (CacheManager manager = manager(file.resolve("store"))) {
      Cache<String, String> cache = manager.createCache("degraded",
          TierCacheConfiguration.builder(String.class, String.class).tiers("mapdb", "rocksdb").build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class).estimatedSize()).isEqualTo(1);
      assertThat(cache.unwrap(TierCache.class)).isNotNull();
    }
    try (CacheManager manager = manager(file.resolve("store"))) {
      assertThatThrownBy(() -> manager.createCache("strict",
          TierCacheConfiguration.builder(String.class, String.class).tiers("mapdb").strict(true).build()))
          .isInstanceOf(CacheException.class).hasMessageContaining(file.toString());
    }
  }

  @Test
  void aMixedCacheIsACompositeOfItsTiers() {
    try (CacheManager manager = manager(directory)) {
      Cache<String, byte[]> cache = manager.createCache("mixed",
          TierCacheConfiguration.builder(String.class, byte[].class).tiers("heap", "mapdb", "rocksdb")
              .strategyOption("heap-max-bytes", "100").strategyOption("mapdb-max-bytes", "1000").build());
      cache.put("small", new byte[10]);
      cache.put("medium", new byte[500]);
      cache.put("large", new byte[5000]);
      @SuppressWarnings("unchecked")
      CompositeTier<String> composite = cache.unwrap(CompositeTier.class);
      assertThat(composite.tierNames()).containsExactly("heap", "mapdb", "rocksdb");
      assertThat(composite.tiers().get(0).get("small")).isNotNull();
      assertThat(composite.tiers().get(1).get("medium")).isNotNull();
      assertThat(composite.tiers().get(2).get("large")).isNotNull();
      assertThat(cache.get("large")).hasSize(5000);
      cache.put("large", new byte[1]); // moves to the heap
      assertThat(composite.tiers().get(2).get("large")).isNull();
      assertThat(composite.tiers().get(0).get("large")).isNotNull();
    }
  }
}
