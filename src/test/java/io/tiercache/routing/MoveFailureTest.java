package io.tiercache.routing;

import io.tiercache.testing.FlakyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierException;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.serialized.ByteStore;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.SerializedTier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A move whose second step fails must not leave a wrong value: the old copy stays and the write fails; and if
 * even undoing the new copy fails, reads take the copy with the higher sequence until the key settles.
 */
class MoveFailureTest {

  /** An in-memory byte store whose deletes can be made to fail. */
  private final FlakyStore even = new FlakyStore();
  private final FlakyStore odd = new FlakyStore();
  private CompositeTier<String> composite;

  @BeforeEach
  void create() {
    KeyLocks locks = new KeyLocks(16);
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "flaky");
    Map<String, Tier<String>> tiers = new LinkedHashMap<>();
    tiers.put(TierNames.MAPDB, new SerializedTier<>("mapdb", even, serializer, Capacity.unbounded(), locks,
        new FakeClock(), TierListener.NONE));
    tiers.put(TierNames.ROCKSDB, new SerializedTier<>("rocksdb", odd, serializer, Capacity.unbounded(), locks,
        new FakeClock(), TierListener.NONE));
    composite = new CompositeTier<>(tiers,
        (key, value, context) -> ((Long) value) % 2 == 0 ? TierNames.MAPDB : TierNames.ROCKSDB);
  }

  private Envelope value(long value) {
    return new Envelope(value, Envelope.ETERNAL);
  }

  @Test
  void whenTheOldCopyCannotBeDeletedTheWriteFailsAndTheOldValueStays() {
    composite.compute("k", (key, current) -> value(2));
    even.failDeletes = true;
    assertThatThrownBy(() -> composite.compute("k", (key, current) -> value(3)))
        .isInstanceOf(TierException.class).hasMessageContaining("simulated");
    assertThat(composite.get("k").value()).isEqualTo(2L);
    assertThat(odd.records).as("the new copy was undone").isEmpty();
  }

  @Test
  void whenTheUndoFailsTooReadsTakeTheNewerCopyUntilTheKeySettles() {
    composite.compute("k", (key, current) -> value(2));
    even.failDeletes = true;
    odd.failDeletes = true;
    assertThatThrownBy(() -> composite.compute("k", (key, current) -> value(3)))
        .isInstanceOf(TierException.class);
    assertThat(even.records).hasSize(1);
    assertThat(odd.records).hasSize(1);
    // the older copy sits in the tier probed first, yet the newer one (higher sequence) is what reads see
    assertThat(composite.getAll(List.of("k")).get("k").value()).isEqualTo(3L);
    // while the stale copy cannot be deleted, no write may proceed: a removal would uncover it
    assertThatThrownBy(() -> composite.compute("k", (key, current) -> null))
        .isInstanceOf(TierException.class).hasMessageContaining("cannot be settled");
    assertThat(composite.get("k").value()).isEqualTo(3L);

    even.failDeletes = false;
    odd.failDeletes = false;
    assertThat(composite.get("k").value()).isEqualTo(3L);
    assertThat(even.records.size() + odd.records.size()).as("settled: one copy left").isEqualTo(1);
    composite.compute("k", (key, current) -> null);
    assertThat(composite.get("k")).as("removed, and nothing older behind it").isNull();
    assertThat(composite.size()).isZero();
  }
}
