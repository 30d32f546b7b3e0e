package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.RedisCluster;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/**
 * A cache on a Redis cluster survives the loss of a master: once its replica is promoted, every key is read
 * and written again without reopening anything, and the near cache follows the new master's invalidations.
 */
class RedisClusterFailoverTest {

  private static final int KEYS = 200;

  @Test
  void aKilledMastersReplicaTakesOverAndTheCacheCarriesOn() throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        CacheManager first = TestCaches.newManager();
        CacheManager second = TestCaches.newManager()) {
      String namespace = "failover-" + UUID.randomUUID();
      Cache<String, String> near = first.createCache("c", configuration(cluster, namespace, true));
      Cache<String, String> other = second.createCache("c", configuration(cluster, namespace, false));
      for (int i = 0; i < KEYS; i++) {
        near.put("k" + i, "v" + i);
      }
      for (int i = 0; i < KEYS; i++) {
        assertThat(near.get("k" + i)).isEqualTo("v" + i); // now held by the near cache too
      }
      Thread.sleep(1_000); // replication is asynchronous: give the replicas the writes

      List<RedisServer> masters = cluster.masters();
      RedisServer victim = masters.get(0);
      victim.kill();
      long start = System.nanoTime();
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        assertThat(retry(() -> near.get(key))).as(key).isEqualTo("v" + i);
      }
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        String value = "w" + i;
        retry(() -> {
          other.put(key, value);
          return null;
        });
      }
      long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("cluster failover: every key read and written again %d ms after the master was killed%n",
          failoverMillis);
      assertThat(failoverMillis).isLessThan(60_000);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        String expected = "w" + i;
        while (!expected.equals(retry(() -> near.get(key)))) {
          assertThat(System.nanoTime()).as("%s reached the near cache's JVM within 10 s", key).isLessThan(deadline);
          Thread.sleep(20);
        }
      }
    }
  }

  private static TierCacheConfiguration<String, String> configuration(RedisCluster cluster, String namespace,
      boolean nearCache) {
    TierCacheConfiguration.Builder<String, String> builder = TierCacheConfiguration.builder(String.class,
        String.class).redisCluster(cluster.uris().toArray(new String[0])).tierSetting("redis.namespace", namespace);
    if (nearCache) {
      builder.tiers("heap", "redis");
    }
    return builder.build();
  }

  /** Runs an operation until it succeeds; a cluster without a master for some slots fails it meanwhile. */
  private static <T> T retry(java.util.concurrent.Callable<T> operation) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return operation.call();
      } catch (CacheException failedOver) {
        if (System.nanoTime() > deadline) {
          throw failedOver;
        }
        Thread.sleep(50);
      }
    }
  }
}
