package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheStatistics;
import io.tiercache.testing.TestCaches;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Configuration: validation errors name the problem, bounds hold, plain JSR-107 configurations get defaults. */
class ConfigurationTest {

  private final CacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void negativeBoundsAreRejectedWithTheValueNamed() {
    assertThatThrownBy(() -> TierCacheConfiguration.builder(String.class, String.class).heapMaximumSize(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap maximum size").hasMessageContaining("-5");
    assertThatThrownBy(() -> TierCacheConfiguration.builder(String.class, String.class)
        .heapMaximumWeight(-1, (k, v) -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap maximum weight");
    assertThatThrownBy(() -> TierCacheConfiguration.builder(String.class, String.class)
        .heapMaximumWeight(10, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("weigher");
  }

  @Test
  void aSecondCacheOfTheSameNameIsRefusedByName() {
    manager.createCache("orders", new MutableConfiguration<>());
    assertThatThrownBy(() -> manager.createCache("orders", new MutableConfiguration<>()))
        .isInstanceOf(CacheException.class).hasMessageContaining("'orders'").hasMessageContaining("already exists");
  }

  @Test
  void askingForTheWrongTypesNamesBothTypes() {
    manager.createCache("typed", TierCacheConfiguration.builder(String.class, Long.class).build());
    assertThatThrownBy(() -> manager.getCache("typed", String.class, String.class))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("java.lang.Long").hasMessageContaining("java.lang.String");
  }

  @Test
  void valuesOfTheWrongRuntimeTypeAreRejectedBeforeAnythingIsStored() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Cache<Object, Object> raw = (Cache) manager.createCache("runtime-typed",
        TierCacheConfiguration.builder(String.class, Long.class).build());
    assertThatThrownBy(() -> raw.put("k", "not a long"))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("runtime-typed");
    assertThat(raw.containsKey("k")).isFalse();
  }

  @Test
  void theHeapBoundIsHonouredAndEvictionsAreCounted() {
    Cache<Integer, Integer> cache = manager.createCache("bounded",
        TierCacheConfiguration.builder(Integer.class, Integer.class).heapMaximumSize(100).statistics(true).build());
    for (int i = 0; i < 1_000; i++) {
      cache.put(i, i);
    }
    com.github.benmanes.caffeine.cache.Cache<?, ?> engine =
        cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class);
    engine.cleanUp();
    assertThat(engine.estimatedSize()).isLessThanOrEqualTo(100);
    assertThat(cache.unwrap(CacheStatistics.class).getCacheEvictions()).isEqualTo(1_000 - engine.estimatedSize());
  }

  @Test
  void aWeightBoundCountsWeightsNotEntries() {
    Cache<Integer, String> cache = manager.createCache("weighed",
        TierCacheConfiguration.builder(Integer.class, String.class)
            .heapMaximumWeight(1_000, (key, value) -> value.length()).build());
    for (int i = 0; i < 100; i++) {
      cache.put(i, "x".repeat(100));
    }
    com.github.benmanes.caffeine.cache.Cache<?, ?> engine =
        cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class);
    engine.cleanUp();
    assertThat(engine.estimatedSize()).isLessThanOrEqualTo(10);
  }

  @Test
  void aPlainConfigurationGetsTheDocumentedDefaults() {
    Cache<Object, Object> cache = manager.createCache("plain", new MutableConfiguration<>());
    TierCacheConfiguration<?, ?> configuration = cache.getConfiguration(TierCacheConfiguration.class);
    assertThat(configuration.getHeapMaximumSize()).isEqualTo(TierCacheConfiguration.DEFAULT_HEAP_MAXIMUM_SIZE);
    assertThat(configuration.isStoreByValue()).isTrue();
  }

  @Test
  void theConfigurationHandedOutIsASnapshotThatCannotReconfigureTheCache() {
    Cache<String, String> cache = manager.createCache("snapshot",
        TierCacheConfiguration.builder(String.class, String.class).build());
    @SuppressWarnings("unchecked")
    CompleteConfiguration<String, String> configuration = cache.getConfiguration(CompleteConfiguration.class);
    ((MutableConfiguration<String, String>) configuration).setReadThrough(true);
    assertThat(cache.getConfiguration(CompleteConfiguration.class).isReadThrough()).isFalse();
    assertThatThrownBy(() -> cache.getConfiguration(UnrelatedConfiguration.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unwrapReachesTheEngineAndRefusesStrangers() {
    Cache<String, String> cache = manager.createCache("unwrap", new MutableConfiguration<>());
    assertThat(cache.unwrap(TierCache.class)).isSameAs(cache);
    assertThat(cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class)).isNotNull();
    assertThatThrownBy(() -> cache.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class);
    assertThat(manager.unwrap(TierCacheManager.class)).isSameAs(manager);
  }

  /** A configuration class no cache has. */
  abstract static class UnrelatedConfiguration<K, V> implements javax.cache.configuration.Configuration<K, V> { }
}
