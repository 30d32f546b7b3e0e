package io.tiercache.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.Tier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
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
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * A stateful property: random sequences of put, getAndPut, putIfAbsent, remove, replace (both forms), invoke,
 * expiry (a fake clock moving on), eviction (the tier holding a key dropping it) and reopening the cache manager,
 * on a cache over the heap, MapDB and RocksDB whose strategy moves an entry whenever its value changes tier
 * (value modulo 3), checked after every step against a plain map. After a reopen the model keeps what lives on
 * disk and forgets what lived on the heap. No key may ever be held by two tiers. The same again under the
 * adaptive strategy, whose heap holds copies only: there a reopen forgets nothing, and reads (which make the
 * copies) are steps of their own.
 */
class CompositeCacheModelProperties {

  private static final List<String> KEYS = List.of("a", "b", "c", "d", "e");
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final AtomicInteger MANAGERS = new AtomicInteger();
  private static final List<CacheModel> OPEN = new ArrayList<>();

  /** The system under test and its model. */
  static final class CacheModel {
    final Path directory;
    final boolean adaptive;
    final FakeClock clock = new FakeClock();
    final Map<String, long[]> model = new HashMap<>(); // key -> {value, expireAt}
    CacheManager manager;
    Cache<String, Long> cache;

    CacheModel() {
      this(false);
    }

    CacheModel(boolean adaptive) {
      this.adaptive = adaptive;
      try {
        directory = Files.createTempDirectory("tiercache-model");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      open();
      synchronized (OPEN) {
        OPEN.add(this);
      }
    }

    void open() {
      Properties properties = new Properties();
      properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
      manager = Caching.getCachingProvider().getCacheManager(
          URI.create("tiercache:model-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
      TierCacheConfiguration.Builder<String, Long> builder = TierCacheConfiguration.builder(String.class,
          Long.class).tiers("heap", "mapdb", "rocksdb");
      if (adaptive) {
        // a few copies, so demotions happen; a MapDB of 100 bytes (two or three entries), so cold ones move down
        builder.strategy("adaptive").strategyOption("heap-budget", "4 KiB").strategyOption("warm-budget", "100");
      } else {
        builder.strategy((key, value, context) -> context.tiers().get((int) Math.floorMod((Long) value, 3L)));
      }
      cache = manager.createCache("model", builder
          .expiryPolicy(ModifiedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES,
              LIFETIME.toMinutes())))
          .clock(clock)
          .build());
    }

    long now() {
      return clock.millis();
    }

    Long live(String key) {
      long[] entry = model.get(key);
      return entry == null || entry[1] <= now() ? null : entry[0];
    }

    void store(String key, long value) {
      model.put(key, new long[] {value, now() + LIFETIME.toMillis()});
    }

    @SuppressWarnings("unchecked")
    CompositeTier<String> composite() {
      return cache.unwrap(CompositeTier.class);
    }

    void checkAgainstModel() {
      for (String key : KEYS) {
        int holding = 0;
        for (Tier<String> tier : composite().tiers()) {
          holding += tier.get(key) == null ? 0 : 1;
        }
        assertThat(holding).as("tiers holding %s", key).isLessThanOrEqualTo(1);
        assertThat(cache.get(key)).as("value of %s", key).isEqualTo(live(key));
      }
    }

    void close() {
      if (manager != null && !manager.isClosed()) {
        manager.close();
      }
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory left behind is harmless
      }
    }
  }

  @Property(tries = 30)
  void aCompositeCacheBehavesLikeAMap(@ForAll("chains") ActionChain<CacheModel> chain) {
    chain.withInvariant("matches the model", CacheModel::checkAgainstModel).run();
  }

  @Property(tries = 30)
  void anAdaptiveCacheBehavesLikeAMap(@ForAll("adaptiveChains") ActionChain<CacheModel> chain) {
    chain.withInvariant("matches the model", CacheModel::checkAgainstModel).run();
  }

  @Provide
  Arbitrary<ActionChain<CacheModel>> adaptiveChains() {
    return steps(ActionChain.startWith(() -> new CacheModel(true))
        .withAction(3, key("get", (state, key) -> {
          for (int i = 0; i < 3; i++) { // read more than once: the frequency that earns a copy
            assertThat(state.cache.get(key)).isEqualTo(state.live(key));
          }
        })));
  }

  @AfterProperty
  void closeAll() {
    synchronized (OPEN) {
      OPEN.forEach(CacheModel::close);
      OPEN.clear();
    }
  }

  @Provide
  Arbitrary<ActionChain<CacheModel>> chains() {
    return steps(ActionChain.startWith(CacheModel::new));
  }

  private static ActionChainArbitrary<CacheModel> steps(ActionChainArbitrary<CacheModel> start) {
    return start
        .withAction(4, keyAndValue("put", (state, key, value) -> {
          state.cache.put(key, value);
          state.store(key, value);
        }))
        .withAction(2, keyAndValue("getAndPut", (state, key, value) -> {
          assertThat(state.cache.getAndPut(key, value)).isEqualTo(state.live(key));
          state.store(key, value);
        }))
        .withAction(2, keyAndValue("putIfAbsent", (state, key, value) -> {
          boolean absent = state.live(key) == null;
          assertThat(state.cache.putIfAbsent(key, value)).isEqualTo(absent);
          if (absent) {
            state.store(key, value);
          }
        }))
        .withAction(2, key("remove", (state, key) -> {
          assertThat(state.cache.remove(key)).isEqualTo(state.live(key) != null);
          state.model.remove(key);
        }))
        .withAction(2, keyAndValue("replace", (state, key, value) -> {
          boolean present = state.live(key) != null;
          assertThat(state.cache.replace(key, value)).isEqualTo(present);
          if (present) {
            state.store(key, value);
          }
        }))
        .withAction(2, keyAndValue("replaceIfEqual", (state, key, value) -> {
          Long current = state.live(key);
          Long expected = current == null || value % 2 == 0 ? Long.valueOf(value) : current;
          boolean matches = current != null && current.equals(expected);
          assertThat(state.cache.replace(key, expected, value + 1)).isEqualTo(matches);
          if (matches) {
            state.store(key, value + 1);
          }
        }))
        .withAction(2, key("invokeIncrement", (state, key) -> {
          Long current = state.live(key);
          long next = current == null ? 1 : current + 1;
          state.cache.invoke(key, (entry, arguments) -> {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
            return null;
          });
          state.store(key, next);
        }))
        .withAction(1, new Action.Independent<CacheModel>() {
          @Override
          public Arbitrary<Transformer<CacheModel>> transformer() {
            return Arbitraries.integers().between(1, 12).map(minutes -> Transformer.mutate(
                "advance " + minutes + " min", state -> state.clock.advance(Duration.ofMinutes(minutes))));
          }
        })
        .withAction(1, key("evict", (state, key) -> {
          for (Tier<String> tier : state.composite().tiers()) {
            tier.compute(key, (k, current) -> null); // as an eviction: the copy the key had is dropped
          }
          state.composite().forgetCopy(key); // what the tiers' listeners do when they evict
          state.model.remove(key);
        }))
        .withAction(1, new Action.Independent<CacheModel>() {
          @Override
          public Arbitrary<Transformer<CacheModel>> transformer() {
            return Arbitraries.just(Transformer.mutate("reopen", state -> {
              state.manager.close();
              // what lived on the heap is gone; what lived on disk is back (adaptive: everything lives on disk)
              if (!state.adaptive) {
                state.model.values().removeIf(entry -> Math.floorMod(entry[0], 3L) == 0);
              }
              state.open();
            }));
          }
        })
        .withMaxTransformations(40);
  }

  interface KeyStep {
    void apply(CacheModel state, String key);
  }

  interface KeyValueStep {
    void apply(CacheModel state, String key, long value);
  }

  private static Action.Independent<CacheModel> key(String name, KeyStep step) {
    return () -> Arbitraries.of(KEYS).map(key -> Transformer.mutate(name + " " + key,
        state -> step.apply(state, key)));
  }

  private static Action.Independent<CacheModel> keyAndValue(String name, KeyValueStep step) {
    return () -> Combinators.combine(Arbitraries.of(KEYS), Arbitraries.longs().between(0, 60))
        .as((key, value) -> Transformer.<CacheModel>mutate(name + " " + key + "=" + value,
            state -> step.apply(state, key, value)));
  }
}
