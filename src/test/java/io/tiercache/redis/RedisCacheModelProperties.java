package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.FakeClock;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.ModifiedExpiryPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Two clients of one cache in Redis, driven by random sequences of JCache operations against a plain map: one
 * client with a near cache ({@code [heap, redis]}), one without ({@code [redis]}), each operation through either,
 * with expiry (a shared fake clock moving on) and reopening of the near-cache client. After every step the
 * client without a near cache must match the model exactly, and the one with it must match it too: at once for
 * keys it wrote last, within two seconds (its invalidation delay) for keys the other client wrote.
 */
class RedisCacheModelProperties {

  private static final List<String> KEYS = List.of("a", "b", "c", "d");
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final List<SharedCache> OPEN = new ArrayList<>();

  /** The two clients and the model. */
  static final class SharedCache {
    final FakeClock clock = new FakeClock(System.currentTimeMillis()); // Redis's own expiry runs on real time
    final String namespace = "model-" + UUID.randomUUID();
    final Map<String, long[]> model = new HashMap<>(); // key -> {value, expireAt}
    final Map<String, Boolean> lastWrittenByNear = new HashMap<>();
    CacheManager nearManager;
    CacheManager plainManager;
    Cache<String, Long> near;
    Cache<String, Long> plain;

    SharedCache() {
      plainManager = TestCaches.newManager();
      plain = plainManager.createCache("model", configuration(false));
      openNear();
      synchronized (OPEN) {
        OPEN.add(this);
      }
    }

    TierCacheConfiguration<String, Long> configuration(boolean nearCache) {
      TierCacheConfiguration.Builder<String, Long> builder = TierCacheConfiguration.builder(String.class,
          Long.class).redis(RedisServer.shared().uri()).tierSetting("redis.namespace", namespace)
          .expiryPolicy(ModifiedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES,
              LIFETIME.toMinutes())))
          .clock(clock);
      if (nearCache) {
        builder.tiers("heap", "redis");
      }
      return builder.build();
    }

    void openNear() {
      nearManager = TestCaches.newManager();
      near = nearManager.createCache("model", configuration(true));
    }

    Cache<String, Long> client(boolean throughNear, String key) {
      lastWrittenByNear.put(key, throughNear);
      return throughNear ? near : plain;
    }

    Long live(String key) {
      long[] entry = model.get(key);
      return entry == null || entry[1] <= clock.millis() ? null : entry[0];
    }

    void store(String key, long value) {
      model.put(key, new long[] {value, clock.millis() + LIFETIME.toMillis()});
    }

    void checkAgainstModel() {
      for (String key : KEYS) {
        Long expected = live(key);
        assertThat(plain.get(key)).as("%s through the client without a near cache", key).isEqualTo(expected);
        if (Boolean.TRUE.equals(lastWrittenByNear.get(key))) {
          assertThat(near.get(key)).as("%s through the near cache, which wrote it last", key)
              .isEqualTo(expected);
        } else {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
          Long seen = near.get(key);
          while (!java.util.Objects.equals(seen, expected) && System.nanoTime() < deadline) {
            sleep(5);
            seen = near.get(key);
          }
          assertThat(seen).as("%s through the near cache, within 2 s of the other client's write", key)
              .isEqualTo(expected);
        }
      }
    }

    void close() {
      for (CacheManager manager : List.of(nearManager, plainManager)) {
        if (manager != null && !manager.isClosed()) {
          manager.close();
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Property(tries = 40)
  void twoClientsOfARedisCacheBehaveLikeOneMap(@ForAll("chains") ActionChain<SharedCache> chain) {
    chain.withInvariant("matches the model", SharedCache::checkAgainstModel).run();
  }

  @AfterProperty
  void closeAll() {
    synchronized (OPEN) {
      OPEN.forEach(SharedCache::close);
      OPEN.clear();
    }
  }

  @Provide
  Arbitrary<ActionChain<SharedCache>> chains() {
    return ActionChain.startWith(SharedCache::new)
        .withAction(4, step("put", (state, near, key, value) -> {
          state.client(near, key).put(key, value);
          state.store(key, value);
        }))
        .withAction(2, step("getAndPut", (state, near, key, value) -> {
          Long before = state.live(key);
          assertThat(state.client(near, key).getAndPut(key, value)).isEqualTo(before);
          state.store(key, value);
        }))
        .withAction(2, step("putIfAbsent", (state, near, key, value) -> {
          boolean absent = state.live(key) == null;
          assertThat(state.client(near, key).putIfAbsent(key, value)).isEqualTo(absent);
          if (absent) {
            state.store(key, value);
          }
        }))
        .withAction(2, step("remove", (state, near, key, value) -> {
          boolean present = state.live(key) != null;
          assertThat(state.client(near, key).remove(key)).isEqualTo(present);
          state.model.remove(key);
        }))
        .withAction(2, step("replaceIfEqual", (state, near, key, value) -> {
          Long current = state.live(key);
          Long expected = current == null || value % 2 == 0 ? Long.valueOf(value) : current;
          boolean matches = current != null && current.equals(expected);
          assertThat(state.client(near, key).replace(key, expected, value + 1)).isEqualTo(matches);
          if (matches) {
            state.store(key, value + 1);
          }
        }))
        .withAction(2, step("invokeIncrement", (state, near, key, value) -> {
          Long current = state.live(key);
          state.client(near, key).invoke(key, (entry, arguments) -> {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
            return null;
          });
          state.store(key, current == null ? 1 : current + 1);
        }))
        .withAction(1, new Action.Independent<SharedCache>() {
          @Override
          public Arbitrary<Transformer<SharedCache>> transformer() {
            return Arbitraries.integers().between(1, 12).map(minutes -> Transformer.mutate(
                "advance " + minutes + " min", state -> state.clock.advance(Duration.ofMinutes(minutes))));
          }
        })
        .withAction(1, new Action.Independent<SharedCache>() {
          @Override
          public Arbitrary<Transformer<SharedCache>> transformer() {
            return Arbitraries.just(Transformer.mutate("reopen the near-cache client", state -> {
              state.nearManager.close(); // everything lives in Redis: the reopened client sees it all
              state.openNear();
            }));
          }
        })
        .withMaxTransformations(30);
  }

  interface Step {
    void apply(SharedCache state, boolean throughNear, String key, long value);
  }

  private static Action.Independent<SharedCache> step(String name, Step step) {
    return () -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(KEYS),
        Arbitraries.longs().between(0, 60))
        .as((throughNear, key, value) -> Transformer.<SharedCache>mutate(name + " " + key + "=" + value
            + (throughNear ? " via near" : " via plain"), state -> step.apply(state, throughNear, key, value)));
  }
}
