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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The memory-mapped MapDB file tier against the shared contract. */
class MapDbFileTierContractTest extends TierContractTest {

  private static final KeyLocks LOCKS = new KeyLocks(64);

  @TempDir
  Path directory;

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "test store");
    return MapDbTiers.openFile(directory.resolve("cache.db"), MapDbTiers.Durability.LOG, false, serializer, Capacity.unbounded(), LOCKS,
        new FakeClock(), listener);
  }
}
