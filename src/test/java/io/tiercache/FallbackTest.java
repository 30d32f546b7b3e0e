package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.routing.CompositeTier;
import io.tiercache.tier.TierUnavailableException;
import java.net.URI;
import io.tiercache.management.CacheHealth;
import io.tiercache.management.MBeanRegistrar;
import java.lang.management.ManagementFactory;
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
      throw TierUnavailableException.degradable("RocksDB's native library cannot be loaded on this machine: "
          + "java.lang.UnsatisfiedLinkError: no rocksdbjni in java.library.path", new UnsatisfiedLinkError());
    };
  }

  @Test
  void withoutRocksDbItsEntriesGoToTheNextConfiguredTier() throws Exception {
    simulateMissingRocksDbLibrary();
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("degraded",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb", "mapdb").build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(cache.unwrap(org.mapdb.HTreeMap.class)).as("MapDB holds the entries").isNotNull();
      assertThat(cache.unwrap(org.mapdb.HTreeMap.class).size()).isEqualTo(1);
      assertThat(Files.exists(directory.resolve("rocksdb"))).isFalse();
      // visible where operators look: the health view and its MBean
      CacheHealth health = cache.unwrap(CacheHealth.class);
      assertThat(health.status()).isEqualTo(CacheHealth.Status.DEGRADED);
      assertThat(health.tiers()).extracting(CacheHealth.TierHealth::name).containsExactly("rocksdb", "mapdb");
      assertThat(health.tiers().get(0).running()).isFalse();
      assertThat(health.tiers().get(0).problem()).contains("UnsatisfiedLinkError");
      assertThat(health.tiers().get(1).entries()).isEqualTo(1);
      Object status = ManagementFactory.getPlatformMBeanServer().getAttribute(
          MBeanRegistrar.objectName(MBeanRegistrar.Kind.HEALTH, manager.getURI().toString(), "degraded"), "Status");
      assertThat(status).isEqualTo("DEGRADED");
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
  void anUnusableDirectoryFailsTheCacheRatherThanKeepItsWritesInMemory() throws Exception {
    Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
    try (CacheManager manager = manager(file.resolve("store"))) {
      assertThatThrownBy(() -> manager.createCache("persistent",
          TierCacheConfiguration.builder(String.class, String.class).tiers("mapdb", "rocksdb").build()))
          .isInstanceOf(CacheException.class).hasMessageContaining("'persistent'")
          .hasMessageContaining(file.toString());
      assertThat(manager.getCache("persistent")).isNull();
    }
  }

  @Test
  void aSecondManagerOfTheDirectoryInThisJvmRunsVisiblyDegradedOrFailsWhenStrict() {
    try (CacheManager first = manager(directory); CacheManager second = manager(directory)) {
      first.createCache("a", TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
      Cache<String, String> degraded = second.createCache("b",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
      degraded.put("k", "v");
      CacheHealth health = degraded.unwrap(CacheHealth.class);
      assertThat(health.status()).isEqualTo(CacheHealth.Status.DEGRADED);
      assertThat(health.tiers().get(0).problem()).contains("already open");
      assertThat(health.describe()).contains("rocksdb: NOT RUNNING").contains("heap (fallback): running, 1");
      assertThatThrownBy(() -> second.createCache("c",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").strict(true).build()))
          .isInstanceOf(CacheException.class).hasMessageContaining("already open");
    }
  }

  @Test
  void aHealthyCacheSaysSo() {
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("healthy",
          TierCacheConfiguration.builder(String.class, String.class).tiers("heap", "rocksdb").build());
      CacheHealth health = cache.unwrap(CacheHealth.class);
      assertThat(health.status()).isEqualTo(CacheHealth.Status.HEALTHY);
      assertThat(health.describe()).contains("heap: running").contains("rocksdb: running");
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
