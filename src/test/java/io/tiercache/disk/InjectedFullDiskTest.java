package io.tiercache.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierException;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.SerializedTier;
import io.tiercache.testing.FlakyStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store that fails its writes with "No space left on device" (as {@link FullDiskTest} gets from a real full
 * file system, where one can be mounted): the failed write changes nothing, the tier reports the problem
 * until a write succeeds again, reads go on, and every acknowledged record is still there.
 */
class InjectedFullDiskTest {

  @Test
  void aStoreOutOfSpaceRefusesWritesReportsItAndRecovers() {
    FlakyStore store = new FlakyStore();
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "full disk test");
    SerializedTier<String> tier = new SerializedTier<>("rocksdb:/data/full", store, serializer,
        Capacity.unbounded(), new KeyLocks(16), Clock.systemUTC(), TierListener.NONE);
    for (int i = 0; i < 10; i++) {
      tier.put("k" + i, new Envelope("v" + i, Envelope.ETERNAL));
    }
    store.failWrites = "IO error: While appending to file: /data/full/000012.log: No space left on device";
    assertThatThrownBy(() -> tier.put("k3", new Envelope("new", Envelope.ETERNAL)))
        .isInstanceOf(TierException.class).hasMessageContaining("No space left on device");
    assertThatThrownBy(() -> tier.compute("k11", (k, current) -> new Envelope("new", Envelope.ETERNAL)))
        .isInstanceOf(TierException.class);
    assertThat(tier.problem()).contains("No space left on device");
    for (int i = 0; i < 10; i++) {
      assertThat(tier.get("k" + i).value()).as("k%d on a full disk", i).isEqualTo("v" + i);
    }
    assertThat(tier.get("k11")).isNull();
    assertThat(tier.size()).isEqualTo(10);
    store.failWrites = null; // space returned
    tier.put("k3", new Envelope("new", Envelope.ETERNAL));
    assertThat(tier.get("k3").value()).isEqualTo("new");
    assertThat(tier.problem()).isNull();
  }
}
