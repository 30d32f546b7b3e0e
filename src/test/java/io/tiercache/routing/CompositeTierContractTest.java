package io.tiercache.routing;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierContractTest;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.heap.HeapBound;
import io.tiercache.tier.heap.HeapTier;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import io.tiercache.tier.serialized.Capacity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * A composite is a tier too: the shared {@link TierContractTest} on a composite of the heap, MapDB and RocksDB,
 * once with a strategy that moves an entry on (nearly) every write, once with a strategy that routes by key
 * alone, and once under the adaptive strategy (homes on disk, hot copies on the heap).
 */
class CompositeTierContractTest {

  static CompositeTier<String> composite(Path directory, TypeStrategy strategy, TierListener<String> listener) {
    KeyLocks locks = new KeyLocks(64);
    FakeClock clock = new FakeClock();
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> CompositeTierContractTest.class.getClassLoader(), "composite contract");
    Map<String, Tier<String>> tiers = new LinkedHashMap<>();
    tiers.put(TierNames.HEAP, HeapTier.create(HeapBound.unbounded(), clock, false, listener));
    tiers.put(TierNames.MAPDB, MapDbTiers.openDirectMemory(serializer, Capacity.unbounded(), locks, clock, listener));
    tiers.put(TierNames.ROCKSDB, RocksDbTiers.open(directory.resolve("rocks"), "contract", false, true, serializer,
        Capacity.unbounded(), locks, clock, listener));
    return new CompositeTier<>(tiers, strategy);
  }

  /** Sends each write to the next tier in turn: an entry written twice has moved. */
  static final class Rotating implements TypeStrategy {
    private final AtomicLong writes = new AtomicLong();

    @Override
    public String route(Object key, Object value, RoutingContext context) {
      return context.tiers().get((int) (writes.getAndIncrement() % context.tiers().size()));
    }
  }

  /** Routes by the key's hash alone: entries never move, reads go to one tier. */
  static final class ByKey implements TypeStrategy {
    @Override
    public String route(Object key, Object value, RoutingContext context) {
      return context.tiers().get(Math.floorMod(key.hashCode(), context.tiers().size()));
    }

    @Override
    public boolean routesByKeyOnly() {
      return true;
    }
  }

  @Nested
  class MovingOnEveryWrite extends TierContractTest {
    @TempDir
    Path directory;

    @Override
    protected Tier<String> createTier(TierListener<String> listener) {
      return composite(directory, new Rotating(), listener);
    }
  }

  @Nested
  class RoutingByKeyOnly extends TierContractTest {
    @TempDir
    Path directory;

    @Override
    protected Tier<String> createTier(TierListener<String> listener) {
      return composite(directory, new ByKey(), listener);
    }
  }

  /** Homes on disk by size (small in MapDB, the rest in RocksDB), copies of the entries read on the heap. */
  @Nested
  class Adaptive extends TierContractTest {
    @TempDir
    Path directory;

    @Override
    protected Tier<String> createTier(TierListener<String> listener) {
      return composite(directory, new AdaptiveStrategy(64 * 1024, 16, 8 * 1024), listener);
    }
  }
}
