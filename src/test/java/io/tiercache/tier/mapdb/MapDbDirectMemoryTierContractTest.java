package io.tiercache.tier.mapdb;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierContractTest;
import io.tiercache.tier.TierListener;
import java.util.List;

/** The off-heap (direct memory) MapDB tier against the shared contract. */
class MapDbDirectMemoryTierContractTest extends TierContractTest {

  private static final KeyLocks LOCKS = new KeyLocks(64);

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "test store");
    return MapDbTiers.openDirectMemory(serializer, Capacity.unbounded(), LOCKS, new FakeClock(), listener);
  }
}
