package io.tiercache.tier.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierContractTest;
import io.tiercache.tier.TierListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB tier against the shared contract, plus capacity and reopening. */
class RocksDbTierContractTest extends TierContractTest {

  private static final KeyLocks LOCKS = new KeyLocks(64);

  @TempDir
  Path directory;

  private KryoSerializer serializer() {
    return new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "test store");
  }

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    return RocksDbTiers.open(directory.resolve("rocks"), "contract", false, false, serializer(),
        Capacity.unbounded(), LOCKS, new FakeClock(), listener);
  }

  @Test
  void aCapacityBoundEvictsDownToTheBoundAndReportsEachVictim() {
    List<String> evicted = new ArrayList<>();
    Tier<String> bounded = RocksDbTiers.open(directory.resolve("bounded"), "bounded", false, false, serializer(),
        new Capacity(100, -1), LOCKS, new FakeClock(), (key, envelope, cause) -> evicted.add(key + ":" + cause));
    try {
      for (int i = 0; i < 500; i++) {
        bounded.compute("k" + i, (key, current) -> new Envelope("value", Envelope.ETERNAL));
      }
      assertThat(bounded.size()).isEqualTo(100);
      assertThat(evicted).hasSize(400).allMatch(entry -> entry.endsWith(":" + RemovalCause.CAPACITY));
      long present = 0;
      for (int i = 0; i < 500; i++) {
        present += bounded.get("k" + i) == null ? 0 : 1;
      }
      assertThat(present).isEqualTo(100);
    } finally {
      bounded.close();
    }
  }

  @Test
  void twoColumnFamiliesInOneDatabaseKeepTheirEntriesApartAndSurviveReopening() {
    Path shared = directory.resolve("shared");
    Tier<String> orders = RocksDbTiers.open(shared, "orders", true, false, serializer(), Capacity.unbounded(), LOCKS,
        new FakeClock(), TierListener.NONE);
    Tier<String> users = RocksDbTiers.open(shared, "users", true, false, serializer(), Capacity.unbounded(), LOCKS,
        new FakeClock(), TierListener.NONE);
    orders.compute("k", (key, current) -> new Envelope("order", Envelope.ETERNAL));
    users.compute("k", (key, current) -> new Envelope("user", Envelope.ETERNAL));
    orders.close();
    users.close();

    Tier<String> reopened = RocksDbTiers.open(shared, "orders", true, false, serializer(), Capacity.unbounded(), LOCKS,
        new FakeClock(), TierListener.NONE);
    try {
      assertThat(reopened.get("k").value()).isEqualTo("order");
      assertThat(reopened.size()).isEqualTo(1);
    } finally {
      reopened.close();
    }
  }
}
