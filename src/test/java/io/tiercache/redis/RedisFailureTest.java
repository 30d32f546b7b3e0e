package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.ConfigurationException;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/**
 * What a Redis cache does when its server fails or is configured wrongly (a ConfigurationException for what the configuration itself gets wrong, a
 * CacheException for what only the server can tell): operations fail within the
 * configured timeout naming the server, and work again by themselves once it is back; a near cache never
 * serves what it held before the server restarted; reads can be configured to be misses meanwhile; bad
 * configuration fails createCache with a message that says what is wrong.
 */
class RedisFailureTest {

  private static TierCacheConfiguration.Builder<String, String> redis(String uri) {
    return TierCacheConfiguration.builder(String.class, String.class).redis(uri)
        .tierSetting("redis.namespace", "failure-" + UUID.randomUUID()).tierSetting("redis.timeout", "500ms");
  }

  @Test
  void aKilledServerFailsOperationsWithinTheTimeoutNamingItAndARestartedOneIsUsedAgain() {
    try (RedisServer server = RedisServer.start(); CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> cache = manager.createCache("c", redis(server.uri()).tiers("heap", "redis").build());
      cache.put("k", "before");
      assertThat(cache.get("k")).isEqualTo("before");
      assertThat(cache.get("k")).isEqualTo("before"); // now from the near cache
      CacheHealth healthy = cache.unwrap(CacheHealth.class);
      assertThat(healthy.tiers()).extracting(CacheHealth.TierHealth::name).containsExactly("redis");
      assertThat(healthy.status()).isEqualTo(CacheHealth.Status.HEALTHY);

      server.kill();
      long start = System.nanoTime();
      assertThatThrownBy(() -> cache.put("k", "while down")).isInstanceOf(CacheException.class)
          .hasMessageContaining("127.0.0.1:" + server.port());
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
      assertThatThrownBy(() -> cache.get("k")).as("the near cache stops serving once tracking is lost")
          .isInstanceOf(CacheException.class).hasMessageContaining("127.0.0.1:" + server.port());
      CacheHealth down = cache.unwrap(CacheHealth.class);
      assertThat(down.status()).isEqualTo(CacheHealth.Status.DEGRADED);
      assertThat(down.tiers().get(0).problem()).contains("127.0.0.1:" + server.port());

      server.restart(); // empty: a near cache that kept "before" would now serve a value Redis no longer has
      String seen = awaitReachable(cache);
      assertThat(seen).isNull();
      cache.put("k", "after");
      assertThat(cache.get("k")).isEqualTo("after");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cache.unwrap(CacheHealth.class).status() != CacheHealth.Status.HEALTHY) {
        assertThat(System.nanoTime()).as("healthy again: %s", cache.unwrap(CacheHealth.class).describe())
            .isLessThan(deadline);
        sleep(50);
      }
    }
  }

  /** Reads until the cache reaches its server again (reconnecting takes Lettuce up to a few seconds). */
  private static String awaitReachable(Cache<String, String> cache) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return cache.get("k");
      } catch (CacheException stillDown) {
        if (System.nanoTime() > deadline) {
          throw stillDown;
        }
        sleep(100);
      }
    }
  }

  @Test
  void aFlushOfTheServerEmptiesTheNearCache() throws Exception {
    try (RedisServer server = RedisServer.start(); CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> cache = manager.createCache("c", redis(server.uri()).tiers("heap", "redis").build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(cache.get("k")).isEqualTo("v");
      server.cli("FLUSHALL");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (cache.get("k") != null) {
        assertThat(System.nanoTime()).as("the flush reached the near cache within 2 s").isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

  @Test
  void readsAreMissesWhileTheServerIsDownWhenSoConfigured() {
    try (RedisServer server = RedisServer.start(); CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> cache = manager.createCache("c", redis(server.uri())
          .tierSetting("redis.when-unreachable", "miss").build());
      cache.put("k", "v");
      server.kill();
      assertThat(cache.get("k")).isNull();
      assertThat(cache.getAll(java.util.Set.of("k", "j"))).isEmpty();
      assertThatThrownBy(() -> cache.put("k", "w")).isInstanceOf(CacheException.class)
          .hasMessageContaining("127.0.0.1:" + server.port());
    }
  }

  @Test
  void anUnknownHostFailsCreateCacheNamingIt() {
    try (CacheManager manager = TestCaches.newManager()) {
      assertThatThrownBy(() -> manager.createCache("c", redis("redis://no-such-host.invalid:6379").build()))
          .isInstanceOf(CacheException.class).hasMessageContaining("no-such-host.invalid")
          .hasMessageContaining("unknown host");
    }
  }

  @Test
  void nothingListeningFailsCreateCacheNamingTheAddress() {
    int port = RedisServer.freePort();
    try (CacheManager manager = TestCaches.newManager()) {
      assertThatThrownBy(() -> manager.createCache("c", redis("redis://127.0.0.1:" + port).build()))
          .isInstanceOf(CacheException.class).hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("connection refused");
    }
  }

  @Test
  void aWrongPasswordFailsCreateCacheWithoutShowingIt() {
    try (RedisServer server = RedisServer.start("--requirepass", "s3cret-pass");
        CacheManager manager = TestCaches.newManager()) {
      assertThatThrownBy(() -> manager.createCache("c", redis("redis://:wrong-pass@127.0.0.1:" + server.port())
          .build())).isInstanceOf(CacheException.class).hasMessageContaining("wrong user or password")
          .satisfies(e -> assertThat(fullText(e)).doesNotContain("wrong-pass").doesNotContain("s3cret"));
      assertThatThrownBy(() -> manager.createCache("d", redis("redis://127.0.0.1:" + server.port()).build()))
          .isInstanceOf(CacheException.class).hasMessageContaining("NOAUTH");
      Cache<String, String> cache = manager.createCache("e", redis("redis://127.0.0.1:" + server.port())
          .tierSetting("redis.password", "s3cret-pass").build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
    }
  }

  @Test
  void aStandaloneServerGivenAsAClusterIsRefusedSayingSo() {
    try (CacheManager manager = TestCaches.newManager()) {
      String uri = RedisServer.shared().uri();
      assertThatThrownBy(() -> manager.createCache("c", TierCacheConfiguration.builder(String.class, String.class)
          .redisCluster(uri).build())).isInstanceOf(CacheException.class)
          .hasMessageContaining("standalone").hasMessageContaining("redis.uri");
    }
  }

  @Test
  void aRedisLayoutWithoutAServerOrMixedWithDiskTiersIsRefusedAtCreateCache() {
    try (CacheManager manager = TestCaches.newManager()) {
      assertThatThrownBy(() -> manager.createCache("c", TierCacheConfiguration.builder(String.class, String.class)
          .tiers("redis").build())).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("neither redis.uri").hasMessageContaining("redis.cluster");
      assertThatThrownBy(() -> manager.createCache("d", TierCacheConfiguration.builder(String.class, String.class)
          .redis(RedisServer.shared().uri()).tiers("heap", "rocksdb", "redis").build()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("[heap, redis]");
      assertThatThrownBy(() -> manager.createCache("e", TierCacheConfiguration.builder(String.class, String.class)
          .redis("http://127.0.0.1:1").build())).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("redis://");
    }
  }

  private static String fullText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      text.append(cause).append('\n');
      for (Throwable suppressed : cause.getSuppressed()) {
        text.append(suppressed).append('\n');
      }
    }
    return text.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
