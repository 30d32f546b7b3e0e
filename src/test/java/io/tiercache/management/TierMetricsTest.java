package io.tiercache.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.metrics.TierMetricsBinder;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-tier figures: the same counts through CacheHealth, the JMX bean and Micrometer, on every layout. */
class TierMetricsTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();
  private static final String SMALL = "s";
  private static final String LARGE = "L".repeat(4_000);

  @TempDir
  Path directory;

  private CacheManager manager() {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:metrics-" + MANAGERS.incrementAndGet()),
        getClass().getClassLoader(), properties);
  }

  /** Heap for values up to 1 KiB, RocksDB beyond: lookups of large values miss the heap and hit RocksDB. */
  private static TierCacheConfiguration<String, String> composite() {
    return TierCacheConfiguration.builder(String.class, String.class).tiers("heap", "rocksdb")
        .strategy("size").strategyOption("heap-max-bytes", "1024").build();
  }

  private static CacheHealth.TierHealth tier(Cache<?, ?> cache, String name) {
    return cache.unwrap(CacheHealth.class).tiers().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void aCompositeCountsEachTiersHitsAndMissesWhereTheLookupWent() {
    try (CacheManager manager = manager()) {
      Cache<String, String> cache = manager.createCache("composite", composite());
      cache.put("small", SMALL);
      cache.put("large", LARGE);
      for (int i = 0; i < 3; i++) {
        assertThat(cache.get("small")).isEqualTo(SMALL);   // heap hit
      }
      for (int i = 0; i < 2; i++) {
        assertThat(cache.get("large")).isEqualTo(LARGE);   // heap miss, rocksdb hit
      }
      assertThat(cache.get("absent")).isNull();             // a miss in both
      assertThat(cache.getAll(Set.of("small", "large", "gone"))).hasSize(2);

      CacheHealth.TierHealth heap = tier(cache, "heap");
      CacheHealth.TierHealth rocksdb = tier(cache, "rocksdb");
      assertThat(heap.entries()).isEqualTo(1);
      assertThat(rocksdb.entries()).isEqualTo(1);
      assertThat(rocksdb.bytes()).isGreaterThan(LARGE.length());
      assertThat(heap.bytes()).isEqualTo(-1);
      // get: 3 heap hits; 2 heap misses then rocksdb hits; 1 miss in each. getAll: heap 1 of 3, rocksdb 1 of 2.
      assertThat(heap.hits()).isEqualTo(3 + 1);
      assertThat(heap.misses()).isEqualTo(2 + 1 + 2);
      assertThat(rocksdb.hits()).isEqualTo(2 + 1);
      assertThat(rocksdb.misses()).isEqualTo(1 + 1);
      assertThat(heap.hitRatio()).isEqualTo(4.0 / 9);
    }
  }

  @Test
  void aSingleTierCacheHasTheSameFiguresAndItsEvictionsAreCounted() {
    try (CacheManager manager = manager()) {
      Cache<Integer, String> cache = manager.createCache("heap-only",
          TierCacheConfiguration.builder(Integer.class, String.class).heapMaximumSize(10).build());
      for (int i = 0; i < 200; i++) {
        cache.put(i, "v" + i);
      }
      cache.get(199);
      cache.get(-1);
      assertThat(cache.unwrap(CacheHealth.class).tiers()).hasSize(1);
      CacheHealth.TierHealth heap = tier(cache, "heap");
      assertThat(heap.hits()).isEqualTo(1);
      assertThat(heap.misses()).isEqualTo(1);
      assertThat(heap.evictions()).as("200 puts into a bound of 10 (Caffeine evicts asynchronously)")
          .isGreaterThanOrEqualTo(150);
      assertThat(heap.entries() + heap.evictions()).isEqualTo(200);
    }
  }

  @Test
  void theJmxBeanPublishesTheSameFiguresAsOpenData() throws Exception {
    try (CacheManager manager = manager()) {
      Cache<String, String> cache = manager.createCache("jmx", composite());
      cache.put("large", LARGE);
      cache.get("large");
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      var name = MBeanRegistrar.objectName(MBeanRegistrar.Kind.HEALTH, manager.getURI().toString(), "jmx");
      CompositeData[] tiers = (CompositeData[]) server.getAttribute(name, "TierMetrics");
      assertThat(tiers).extracting(t -> t.get("name")).containsExactly("heap", "rocksdb");
      assertThat(tiers[1].get("hits")).isEqualTo(1L);
      assertThat(tiers[1].get("entries")).isEqualTo(1L);
      assertThat(tiers[0].get("misses")).isEqualTo(1L);
      // a typed proxy rebuilds the beans
      CacheHealthMXBean proxy = JMX.newMXBeanProxy(server, name, CacheHealthMXBean.class);
      assertThat(proxy.getTierMetrics()[1].getName()).isEqualTo("rocksdb");
      assertThat(proxy.getTierMetrics()[1].getBytes()).isGreaterThan(LARGE.length());
      assertThat(proxy.getStatus()).isEqualTo("HEALTHY");
    }
  }

  @Test
  void micrometerSeesEachTierTaggedAndKeepsCountersAfterTheCacheCloses() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CacheManager manager = manager()) {
      Cache<String, String> cache = manager.createCache("meters", composite());
      cache.put("small", SMALL);
      cache.put("large", LARGE);
      cache.get("large");
      new TierMetricsBinder(cache, io.micrometer.core.instrument.Tag.of("app", "test")).bindTo(registry);

      assertThat(registry.get("tiercache.tier.entries").tags("cache", "meters", "tier", "rocksdb", "app", "test")
          .gauge().value()).isEqualTo(1);
      assertThat(registry.get("tiercache.tier.hits").tags("tier", "rocksdb").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("tiercache.tier.misses").tags("tier", "heap").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("tiercache.tier.running").tags("tier", "heap").gauge().value()).isEqualTo(1);
      assertThat(registry.find("tiercache.tier.bytes").tags("tier", "heap").gauge())
          .as("the heap keeps objects: it has no byte figure to publish").isNull();
      assertThat(registry.get("tiercache.tier.bytes").tags("tier", "rocksdb").gauge().value())
          .isGreaterThan(LARGE.length());

      cache.get("large");
      cache.get("large");
      Thread.sleep(1_100); // snapshots are renewed at most once a second
      assertThat(registry.get("tiercache.tier.hits").tags("tier", "rocksdb").functionCounter().count()).isEqualTo(3);

      cache.close();
      System.gc(); // the registry keeps what its counters read: nothing but a weak reference leads there
      Thread.sleep(1_100);
      assertThat(registry.get("tiercache.tier.entries").tags("tier", "rocksdb").gauge().value()).isNaN();
      assertThat(registry.get("tiercache.tier.hits").tags("tier", "rocksdb").functionCounter().count())
          .as("a counter never goes back").isEqualTo(3);

      // the same name created again: the meters follow it
      Cache<String, String> again = manager.createCache("meters", composite());
      again.put("large", LARGE);
      again.put("other", LARGE);
      Thread.sleep(1_100);
      assertThat(registry.get("tiercache.tier.entries").tags("tier", "rocksdb").gauge().value()).isEqualTo(2);
    }
    Thread.sleep(1_100);
    assertThat(registry.get("tiercache.tier.running").tags("tier", "rocksdb").gauge().value())
        .as("the manager is closed").isNaN();
  }

  @Test
  void micrometerRefusesACacheOfAnotherProvider() {
    @SuppressWarnings("unchecked")
    Cache<String, String> foreign = (Cache<String, String>) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Cache.class}, (proxy, method, args) -> {
          if (method.getName().equals("getName")) {
            return "foreign";
          }
          if (method.getName().equals("unwrap")) {
            throw new IllegalArgumentException("no");
          }
          return null;
        });
    assertThatThrownBy(() -> new TierMetricsBinder(foreign)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'foreign' is not a tiercache cache");
  }
}
