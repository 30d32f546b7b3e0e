package io.tiercache.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.FakeClock;
import io.tiercache.testing.TestCaches;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry on the cache's clock: every policy of JSR-107, driven by a fake clock rather than sleeps. */
class ExpiryTest {

  private static final javax.cache.expiry.Duration TEN_SECONDS =
      new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10);

  private final FakeClock clock = new FakeClock();
  private final CacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  private Cache<String, String> cache(javax.cache.configuration.Factory<? extends ExpiryPolicy> policy) {
    return manager.createCache("expiry", TierCacheConfiguration.builder(String.class, String.class)
        .expiryPolicy(policy).clock(clock).statistics(true).build());
  }

  @Test
  void createdPolicyExpiresAfterTheDurationWhateverTheAccesses() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(TEN_SECONDS));
    cache.put("k", "v");
    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get("k")).isEqualTo("v");
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isNull();
    assertThat(cache.containsKey("k")).isFalse();
  }

  @Test
  void accessedPolicyExtendsTheLifetimeOnEachRead() {
    Cache<String, String> cache = cache(AccessedExpiryPolicy.factoryOf(TEN_SECONDS));
    cache.put("k", "v");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(9));
      assertThat(cache.get("k")).as("read %d", i).isEqualTo("v");
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void modifiedPolicyExtendsOnUpdateButNotOnRead() {
    Cache<String, String> cache = cache(ModifiedExpiryPolicy.factoryOf(TEN_SECONDS));
    cache.put("k", "v1");
    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get("k")).isEqualTo("v1");
    cache.put("k", "v2");
    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get("k")).isEqualTo("v2");
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void touchedPolicyExtendsOnReadAndUpdate() {
    Cache<String, String> cache = cache(TouchedExpiryPolicy.factoryOf(TEN_SECONDS));
    cache.put("k", "v1");
    clock.advance(Duration.ofSeconds(9));
    cache.get("k");
    clock.advance(Duration.ofSeconds(9));
    cache.replace("k", "v2");
    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get("k")).isEqualTo("v2");
  }

  @Test
  void eternalEntriesOutliveAnyClockJump() {
    Cache<String, String> cache = manager.createCache("eternal",
        TierCacheConfiguration.builder(String.class, String.class).clock(clock).build());
    cache.put("k", "v");
    clock.advance(Duration.ofDays(3650));
    assertThat(cache.get("k")).isEqualTo("v");
  }

  @Test
  void zeroCreationDurationStoresNothingAndCountsNoPut() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ZERO));
    cache.put("k", "v");
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(cache.unwrap(io.tiercache.management.CacheStatistics.class).getCachePuts()).isZero();
  }

  @Test
  void zeroAccessDurationExpiresTheEntryAfterThatRead() {
    Cache<String, String> cache = cache(() -> new ExpiryPolicy() {
      @Override
      public javax.cache.expiry.Duration getExpiryForCreation() {
        return TEN_SECONDS;
      }

      @Override
      public javax.cache.expiry.Duration getExpiryForAccess() {
        return javax.cache.expiry.Duration.ZERO;
      }

      @Override
      public javax.cache.expiry.Duration getExpiryForUpdate() {
        return null;
      }
    });
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void aPolicyThatThrowsNeverLosesTheWrite() {
    Cache<String, String> cache = cache(() -> new ExpiryPolicy() {
      @Override
      public javax.cache.expiry.Duration getExpiryForCreation() {
        throw new IllegalStateException("broken policy");
      }

      @Override
      public javax.cache.expiry.Duration getExpiryForAccess() {
        throw new IllegalStateException("broken policy");
      }

      @Override
      public javax.cache.expiry.Duration getExpiryForUpdate() {
        throw new IllegalStateException("broken policy");
      }
    });
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    cache.put("k", "v2");
    clock.advance(Duration.ofDays(1));
    assertThat(cache.get("k")).isEqualTo("v2");
  }

  @Test
  void anExpiredEntryFoundByAReadPublishesOneExpiredEventWithItsValue() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(TEN_SECONDS));
    List<CacheEntryEvent<? extends String, ? extends String>> expired = new CopyOnWriteArrayList<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new RecordingExpiredListener(expired)), null, true, true));
    cache.put("k", "v");
    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.get("k")).isNull();
    assertThat(cache.get("k")).isNull();
    assertThat(expired).hasSize(1);
    assertThat(expired.get(0).getKey()).isEqualTo("k");
    assertThat(expired.get(0).getValue()).isEqualTo("v");
    assertThat(expired.get(0).getOldValue()).isEqualTo("v");
  }

  @Test
  void expiredEntriesNobodyReadsAreReclaimed() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(TEN_SECONDS));
    for (int i = 0; i < 1_000; i++) {
      cache.put("k" + i, "v");
    }
    com.github.benmanes.caffeine.cache.Cache<?, ?> engine =
        cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class);
    assertThat(engine.estimatedSize()).isEqualTo(1_000);
    clock.advance(Duration.ofSeconds(12)); // past the expiry and the reclamation grace
    engine.cleanUp();
    assertThat(engine.estimatedSize()).isZero();
  }

  /** Serializable so that FactoryBuilder's singleton factory accepts it; the list is only used in-process. */
  static final class RecordingExpiredListener
      implements CacheEntryExpiredListener<String, String>, java.io.Serializable {
    private final transient List<CacheEntryEvent<? extends String, ? extends String>> events;

    RecordingExpiredListener(List<CacheEntryEvent<? extends String, ? extends String>> events) {
      this.events = events;
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
      batch.forEach(events::add);
    }
  }
}
