package io.tiercache.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Tier} honours. Each engine has a subclass that only says how to create one; a
 * tier that fails here is not a tier.
 */
public abstract class TierContractTest {

  protected final List<String> removals = new ArrayList<>();
  protected Tier<String> tier;

  /** Creates an empty, unbounded tier whose self-initiated removals go to {@code listener}. */
  protected abstract Tier<String> createTier(TierListener<String> listener);

  @BeforeEach
  void createTier() {
    tier = createTier((key, envelope, cause) -> removals.add(key + ":" + cause));
  }

  @AfterEach
  void closeTier() {
    tier.close();
  }

  private static Envelope envelope(Object value) {
    return new Envelope(value, Envelope.ETERNAL);
  }

  @Test
  void anAbsentKeyReadsAsNull() {
    assertThat(tier.get("missing")).isNull();
    assertThat(tier.getAll(List.of("missing", "other"))).isEmpty();
  }

  @Test
  void computeStoresWhatTheRemapperReturnsAndRemovesOnNull() {
    Envelope stored = tier.compute("k", (key, current) -> {
      assertThat(current).isNull();
      return envelope("v1");
    });
    assertThat(stored.value()).isEqualTo("v1");
    assertThat(tier.get("k").value()).isEqualTo("v1");
    tier.compute("k", (key, current) -> {
      assertThat(current.value()).isEqualTo("v1");
      return envelope("v2");
    });
    assertThat(tier.get("k").value()).isEqualTo("v2");
    assertThat(tier.compute("k", (key, current) -> null)).isNull();
    assertThat(tier.get("k")).isNull();
    assertThat(tier.size()).isZero();
  }

  @Test
  void computeOnAnAbsentKeyReturningNullStoresNothing() {
    assertThat(tier.compute("k", (key, current) -> null)).isNull();
    assertThat(tier.get("k")).isNull();
  }

  @Test
  void aRemapperThatThrowsLeavesTheMappingAsItWas() {
    tier.compute("k", (key, current) -> envelope("v1"));
    assertThatThrownBy(() -> tier.compute("k", (key, current) -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(tier.get("k").value()).isEqualTo("v1");
  }

  @Test
  void theExpiryInstantTravelsWithTheValue() {
    tier.compute("k", (key, current) -> new Envelope("v", 4_000_000_000_000L));
    assertThat(tier.get("k").expireAtMillis()).isEqualTo(4_000_000_000_000L);
  }

  @Test
  void updateExpiryMovesTheInstantOnlyOfTheCurrentRecord() {
    tier.compute("k", (key, current) -> envelope("v1"));
    Envelope first = tier.get("k");
    tier.updateExpiry("k", first, Long.MAX_VALUE - 1);
    assertThat(tier.get("k").expireAtMillis()).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(tier.get("k").value()).isEqualTo("v1");

    Envelope stale = tier.get("k");
    tier.compute("k", (key, current) -> envelope("v2"));
    tier.updateExpiry("k", stale, 5L);
    assertThat(tier.get("k").expireAtMillis()).isEqualTo(Envelope.ETERNAL);
    assertThat(tier.get("k").value()).isEqualTo("v2");
  }

  @Test
  void getAllReturnsExactlyThePresentKeys() {
    for (int i = 0; i < 10; i++) {
      String value = "v" + i;
      tier.compute("k" + i, (key, current) -> envelope(value));
    }
    Map<String, Envelope> found = tier.getAll(List.of("k1", "k5", "k42"));
    assertThat(found).containsOnlyKeys("k1", "k5");
    assertThat(found.get("k5").value()).isEqualTo("v5");
  }

  @Test
  void iterationSeesEveryMappingAndSizeCountsThem() {
    Map<String, Object> expected = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      String value = "v" + i;
      expected.put("k" + i, value);
      tier.compute("k" + i, (key, current) -> envelope(value));
    }
    Map<String, Object> seen = new HashMap<>();
    tier.iterator().forEachRemaining(entry -> seen.put(entry.getKey(), entry.getValue().value()));
    assertThat(seen).isEqualTo(expected);
    assertThat(tier.size()).isEqualTo(100);
  }

  @Test
  void clearRemovesEverythingWithoutReportingRemovals() {
    for (int i = 0; i < 10; i++) {
      tier.compute("k" + i, (key, current) -> envelope("v"));
    }
    tier.clear();
    assertThat(tier.size()).isZero();
    assertThat(tier.get("k1")).isNull();
    assertThat(removals).isEmpty();
  }

  @Test
  void computeIsAtomicPerKeyUnderContention() throws Exception {
    int threads = 4;
    int increments = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < increments; i++) {
          String key = "counter" + (i % 3);
          tier.compute(key, (k, current) -> envelope(current == null ? 1 : (Integer) current.value() + 1));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int total = 0;
    for (int k = 0; k < 3; k++) {
      total += (Integer) tier.get("counter" + k).value();
    }
    assertThat(total).isEqualTo(threads * increments);
  }

  @Test
  void putStoresWhateverTheKeyHeldAndCountsEachKeyOnce() {
    tier.put("k", envelope("v1"));
    tier.put("k", tier.prepare("k", "v2").envelope(Envelope.ETERNAL));
    tier.put("j", envelope("other"));
    assertThat(tier.get("k").value()).isEqualTo("v2");
    assertThat(tier.get("j").value()).isEqualTo("other");
    assertThat(tier.size()).isEqualTo(2);
    tier.compute("k", (key, current) -> null);
    tier.compute("j", (key, current) -> null);
    assertThat(tier.size()).isZero();
    assertThat(tier.bytes()).isLessThanOrEqualTo(0); // zero where the tier counts bytes, -1 where it does not
  }

  @Test
  void aPreparedValueIsStoredAsItWasPrepared() {
    Prepared first = tier.prepare("k", "v1");
    assertThat(first.value()).isEqualTo("v1");
    tier.compute("k", (key, current) -> first.envelope(Envelope.ETERNAL));
    assertThat(tier.get("k").value()).isEqualTo("v1");
    Prepared second = tier.prepare("k", "v2");
    tier.compute("k", (key, current) -> second.envelope(4_000_000_000_000L));
    assertThat(tier.get("k").value()).isEqualTo("v2");
    assertThat(tier.get("k").expireAtMillis()).isEqualTo(4_000_000_000_000L);
    assertThat(tier.size()).isEqualTo(1);
  }

  @Test
  void aKeyBeingRewrittenIsNeverSeenMissingNorGoingBack() throws Exception {
    int writes = 1_500;
    tier.compute("k", (key, current) -> envelope(0));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch done = new CountDownLatch(1);
    List<Future<String>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(pool.submit(() -> {
        int last = -1;
        while (done.getCount() > 0) {
          Envelope seen = tier.get("k");
          if (seen == null) {
            return "missing after value " + last;
          }
          int value = (Integer) seen.value();
          if (value < last) {
            return "went back from " + last + " to " + value;
          }
          last = value;
        }
        return "ok";
      }));
    }
    Future<?> writer = pool.submit(() -> {
      try {
        for (int i = 1; i <= writes; i++) {
          int value = i;
          tier.compute("k", (key, current) -> envelope(value));
        }
      } finally {
        done.countDown();
      }
      return null;
    });
    writer.get(60, TimeUnit.SECONDS);
    for (Future<String> reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    }
    pool.shutdown();
    assertThat(tier.get("k").value()).isEqualTo(writes);
  }

  @Test
  void unwrapToAnUnrelatedTypeGivesNull() {
    assertThat(tier.unwrap(java.util.regex.Pattern.class)).isNull();
    assertThat(tier.name()).isNotBlank();
  }

  @Test
  void closingTwiceIsHarmless() {
    tier.close();
    tier.close();
  }
}
