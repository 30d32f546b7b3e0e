package io.tiercache.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.TestCaches;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Statistics: exact under concurrent load, free of side effects when off, typed as the spec says in JMX. */
class StatisticsTest {

  private final CacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void countersAreExactUnderConcurrentLoad() throws Exception {
    Cache<Integer, String> cache = manager.createCache("stats",
        TierCacheConfiguration.builder(Integer.class, String.class).statistics(true).build());
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          int key = base + i;
          cache.get(key);          // miss: nobody else uses this key
          cache.put(key, "v");     // put
          cache.get(key);          // hit
          if (i % 2 == 0) {
            cache.remove(key);     // removal
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    CacheStatistics statistics = cache.unwrap(CacheStatistics.class);
    long operations = (long) threads * perThread;
    assertThat(statistics.getCacheMisses()).isEqualTo(operations);
    assertThat(statistics.getCacheHits()).isEqualTo(operations);
    assertThat(statistics.getCachePuts()).isEqualTo(operations);
    assertThat(statistics.getCacheRemovals()).isEqualTo(operations / 2);
    assertThat(statistics.getCacheGets()).isEqualTo(2 * operations);
    assertThat(statistics.getCacheHitPercentage()).isEqualTo(50f);
    assertThat(statistics.getAverageGetTime()).isPositive();
  }

  @Test
  void disabledStatisticsCountNothingAndRegisterNoBean() throws Exception {
    Cache<Integer, String> cache = manager.createCache("off",
        TierCacheConfiguration.builder(Integer.class, String.class).build());
    cache.put(1, "a");
    cache.get(1);
    CacheStatistics statistics = cache.unwrap(CacheStatistics.class);
    assertThat(statistics.getCachePuts()).isZero();
    assertThat(statistics.getCacheHits()).isZero();
    assertThat(statistics.getAverageGetTime()).isZero();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    assertThat(server.isRegistered(name("CacheStatistics", "off"))).isFalse();
  }

  @Test
  void jmxAttributesHaveTheSpecTypesAndFollowTheSwitches() throws Exception {
    Cache<Integer, String> cache = manager.createCache("jmx, with: odd=name",
        TierCacheConfiguration.builder(Integer.class, String.class).statistics(true).management(true).build());
    cache.put(1, "a");
    cache.get(1);
    cache.get(2);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName statistics = name("CacheStatistics", "jmx, with: odd=name");
    assertThat(server.getAttribute(statistics, "CacheHits")).isInstanceOf(Long.class).isEqualTo(1L);
    assertThat(server.getAttribute(statistics, "CacheMisses")).isEqualTo(1L);
    assertThat(server.getAttribute(statistics, "CacheHitPercentage")).isInstanceOf(Float.class).isEqualTo(50f);
    ObjectName configuration = name("CacheConfiguration", "jmx, with: odd=name");
    assertThat(server.getAttribute(configuration, "KeyType")).isEqualTo("java.lang.Integer");
    assertThat(server.getAttribute(configuration, "StoreByValue")).isEqualTo(true);

    manager.enableStatistics("jmx, with: odd=name", false);
    assertThat(server.isRegistered(statistics)).isFalse();
    assertThat(server.getAttribute(configuration, "StatisticsEnabled")).isEqualTo(false);
    cache.close();
    assertThat(server.isRegistered(configuration)).isFalse();
  }

  private ObjectName name(String type, String cacheName) throws Exception {
    String safe = cacheName.replaceAll("[,:=\n]", ".");
    String uri = manager.getURI().toString().replaceAll("[,:=\n]", ".");
    return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + uri + ",Cache=" + safe);
  }
}
