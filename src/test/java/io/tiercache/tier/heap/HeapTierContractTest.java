package io.tiercache.tier.heap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.testing.FakeClock;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierContractTest;
import io.tiercache.tier.TierListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The heap tier against the shared contract, plus its own eviction and reclamation behaviour. */
class HeapTierContractTest extends TierContractTest {

  private final FakeClock clock = new FakeClock();

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    return HeapTier.create(HeapBound.unbounded(), clock, true, listener);
  }

  @Test
  void aBoundedHeapTierEvictsBeyondItsSizeAndReportsCapacityRemovals() {
    Tier<String> bounded = HeapTier.create(HeapBound.entries(10), clock, false,
        (key, envelope, cause) -> removals.add(key + ":" + cause));
    for (int i = 0; i < 50; i++) {
      bounded.compute("k" + i, (key, current) -> new Envelope("v", Envelope.ETERNAL));
    }
    bounded.unwrap(com.github.benmanes.caffeine.cache.Cache.class).cleanUp();
    assertThat(bounded.size()).isLessThanOrEqualTo(10);
    assertThat(removals).hasSize(50 - (int) bounded.size()).allMatch(r -> r.endsWith(":" + RemovalCause.CAPACITY));
    bounded.close();
  }

  @Test
  void expiredRecordsAreReclaimedAndReportedAsExpired() {
    tier.compute("short", (key, current) -> new Envelope("v", clock.millis() + 1_000));
    tier.compute("long", (key, current) -> new Envelope("v", clock.millis() + 60_000));
    clock.advance(Duration.ofSeconds(3)); // past the expiry and the reclamation grace
    tier.unwrap(com.github.benmanes.caffeine.cache.Cache.class).cleanUp();
    assertThat(tier.get("short")).isNull();
    assertThat(tier.get("long")).isNotNull();
    assertThat(removals).containsExactly("short:" + RemovalCause.EXPIRED);
  }
}
