package io.tiercache.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.serialized.SerializedTier;
import io.tiercache.tier.heap.HeapBound;
import io.tiercache.tier.heap.HeapTier;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that switch tiers on every write: a key lives in exactly one tier, and no concurrent reader ever sees
 * it missing or going back to an older value while it moves.
 */
class CompositeTierMoveTest {

  private static final KeyLocks LOCKS = new KeyLocks(64);

  @TempDir
  Path directory;

  private CompositeTier<String> composite;

  /** Routes a counter by its value, so consecutive values of a key live in different tiers. */
  private static final TypeStrategy BY_VALUE_MOD_3 = (key, value, context) ->
      context.tiers().get((int) Math.floorMod((Long) value, 3L));

  @BeforeEach
  void create() {
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "move test");
    FakeClock clock = new FakeClock();
    Map<String, Tier<String>> tiers = new LinkedHashMap<>();
    tiers.put(TierNames.HEAP, HeapTier.create(HeapBound.unbounded(), clock, false, TierListener.NONE));
    tiers.put(TierNames.MAPDB, MapDbTiers.openDirectMemory(serializer, Capacity.unbounded(), LOCKS, clock,
        TierListener.NONE));
    tiers.put(TierNames.ROCKSDB, RocksDbTiers.open(directory.resolve("rocks"), "moves", false, false, serializer,
        Capacity.unbounded(), LOCKS, clock, TierListener.NONE));
    composite = new CompositeTier<>(tiers, BY_VALUE_MOD_3);
  }

  @AfterEach
  void close() {
    composite.close();
  }

  private int tiersHolding(String key) {
    int holding = 0;
    for (Tier<String> tier : composite.tiers()) {
      holding += tier.get(key) == null ? 0 : 1;
    }
    return holding;
  }

  @Test
  void anEntryLivesInTheTierItsValueRoutesTo() {
    for (long value = 0; value < 6; value++) {
      long v = value;
      composite.compute("k", (key, current) -> new Envelope(v, Envelope.ETERNAL));
      int expected = (int) (value % 3);
      assertThat(composite.tiers().get(expected).get("k").value()).isEqualTo(value);
      assertThat(tiersHolding("k")).isEqualTo(1);
    }
    composite.compute("k", (key, current) -> null);
    assertThat(tiersHolding("k")).isZero();
    assertThat(composite.get("k")).isNull();
  }

  @Test
  void concurrentReadersNeverSeeAMovingEntryMissingOrGoingBack() throws Exception {
    int keys = 8;
    for (int i = 0; i < keys; i++) {
      composite.compute("k" + i, (key, current) -> new Envelope(0L, Envelope.ETERNAL));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int writer = 0; writer < 2; writer++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int round = 0; round < 1_500; round++) {
          String key = "k" + (round % keys);
          // increments move the entry to another tier every time
          composite.compute(key, (k, current) -> new Envelope((Long) current.value() + 1, Envelope.ETERNAL));
        }
        return null;
      }));
    }
    for (int reader = 0; reader < 2; reader++) {
      futures.add(pool.submit(() -> {
        start.await();
        long[] lastSeen = new long[keys];
        while (!stop.get()) {
          for (int i = 0; i < keys; i++) {
            Envelope envelope = composite.get("k" + i);
            reads.incrementAndGet();
            if (envelope == null) {
              violations.add("k" + i + " missing");
            } else {
              long value = (Long) envelope.value();
              if (value < lastSeen[i]) {
                violations.add("k" + i + " went back from " + lastSeen[i] + " to " + value);
              }
              lastSeen[i] = value;
            }
          }
        }
        return null;
      }));
    }
    start.countDown();
    futures.get(0).get(120, TimeUnit.SECONDS);
    futures.get(1).get(120, TimeUnit.SECONDS);
    stop.set(true);
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(violations).isEmpty();
    assertThat(reads.get()).isPositive();
    long total = 0;
    for (int i = 0; i < keys; i++) {
      assertThat(tiersHolding("k" + i)).as("tiers holding k%d", i).isEqualTo(1);
      total += (Long) composite.get("k" + i).value();
    }
    assertThat(total).isEqualTo(3_000);
  }

  @Test
  void getAllFindsEntriesInEveryTier() {
    for (long value = 0; value < 9; value++) {
      long v = value;
      composite.compute("k" + value, (key, current) -> new Envelope(v, Envelope.ETERNAL));
    }
    Map<String, Envelope> found = composite.getAll(List.of("k0", "k1", "k2", "k5", "absent"));
    assertThat(found).containsOnlyKeys("k0", "k1", "k2", "k5");
    assertThat(composite.size()).isEqualTo(9);
    List<String> iterated = new ArrayList<>();
    composite.iterator().forEachRemaining(entry -> iterated.add(entry.getKey()));
    assertThat(iterated).hasSize(9);
  }

  @Test
  void aStrategyNamingAnAbsentTierGetsTheClosestConfiguredOne() {
    Map<String, Tier<String>> two = new LinkedHashMap<>();
    two.put(TierNames.HEAP, composite.tiers().get(0));
    two.put(TierNames.ROCKSDB, composite.tiers().get(2));
    CompositeTier<String> heapAndRocks = new CompositeTier<>(two,
        (key, value, context) -> (String) value);
    assertThat(heapAndRocks.route("k", TierNames.HEAP)).isZero();
    assertThat(heapAndRocks.route("k", TierNames.MAPDB)).isEqualTo(1); // tie: the larger tier
    assertThat(heapAndRocks.route("k", TierNames.ROCKSDB)).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void copiesLeftBehindByACrashedMoveAreSettledAtOpenInFavourOfTheHigherSequence() {
    // the state a crash between "write the new copy" and "delete the old one" leaves: two copies of a key,
    // the newer one (higher sequence) in front for "a", behind for "b"
    SerializedTier<String> mapdb = (SerializedTier<String>) composite.tiers().get(1);
    SerializedTier<String> rocks = (SerializedTier<String>) composite.tiers().get(2);
    mapdb.write(mapdb.keyBytes("a"), null, new Envelope(4L, Envelope.ETERNAL), 6);
    rocks.write(rocks.keyBytes("a"), null, new Envelope(2L, Envelope.ETERNAL), 5);
    mapdb.write(mapdb.keyBytes("b"), null, new Envelope(1L, Envelope.ETERNAL), 3);
    rocks.write(rocks.keyBytes("b"), null, new Envelope(5L, Envelope.ETERNAL), 4);

    Map<String, Tier<String>> same = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      same.put(composite.tierNames().get(i), composite.tiers().get(i));
    }
    CompositeTier<String> reopened = new CompositeTier<>(same, BY_VALUE_MOD_3);

    assertThat(tiersHolding("a")).isEqualTo(1);
    assertThat(tiersHolding("b")).isEqualTo(1);
    assertThat(reopened.get("a").value()).isEqualTo(4L);
    assertThat(reopened.get("b").value()).as("the newer copy, though behind the older one").isEqualTo(5L);
    List<Object> iterated = new ArrayList<>();
    reopened.iterator().forEachRemaining(entry -> iterated.add(entry.getValue().value()));
    assertThat(iterated).containsExactlyInAnyOrder(4L, 5L);

    reopened.compute("b", (key, current) -> null);
    assertThat(reopened.get("b")).as("no older copy may come back").isNull();
  }
}
