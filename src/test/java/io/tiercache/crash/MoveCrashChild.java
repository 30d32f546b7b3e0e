package io.tiercache.crash;

import io.tiercache.routing.CompositeTier;
import io.tiercache.routing.RoutingContext;
import io.tiercache.routing.TierNames;
import io.tiercache.routing.TypeStrategy;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.heap.HeapBound;
import io.tiercache.tier.heap.HeapTier;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import io.tiercache.tier.serialized.Capacity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link MoveCrashTest} kills: it writes without end to two composites whose strategies move an
 * entry on (nearly) every write, the way a cache writes (a value prepared once, then one compute), printing
 * {@code W composite key value} before each write and {@code A composite key value} once it returned
 * (acknowledged). Values are unique across runs.
 *
 * <p>The composites' persistent tiers are two RocksDB column families standing in the "mapdb" and "rocksdb"
 * places: RocksDB keeps every acknowledged write through a kill, so whatever the test finds wrong is the move
 * protocol's doing. (MapDB's own crash safety is a separate matter: its transactional store sometimes cannot
 * be reopened after a kill.)
 */
public final class MoveCrashChild {

  /** The keys written, few so that every write is likely to move an entry. */
  static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");

  /** Even values in the first persistent tier, odd ones in the second: consecutive values always move. */
  static final class ByParity implements TypeStrategy {
    @Override
    public String route(Object key, Object value, RoutingContext context) {
      return ((Long) value) % 2 == 0 ? TierNames.MAPDB : TierNames.ROCKSDB;
    }
  }

  /** By value modulo 3, through the heap and both persistent tiers in turn. */
  static final class ByRemainder implements TypeStrategy {
    @Override
    public String route(Object key, Object value, RoutingContext context) {
      return context.tiers().get((int) (((Long) value) % 3));
    }
  }

  private MoveCrashChild() { }

  /** Opens the two composites, "two" (two persistent tiers) and "three" (the heap in front of them). */
  static Map<String, CompositeTier<String>> open(Path directory) {
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> MoveCrashChild.class.getClassLoader(), "move crash test");
    Map<String, CompositeTier<String>> composites = new LinkedHashMap<>();
    for (String name : List.of("two", "three")) {
      KeyLocks locks = new KeyLocks(64);
      Map<String, Tier<String>> tiers = new LinkedHashMap<>();
      if (name.equals("three")) {
        tiers.put(TierNames.HEAP, HeapTier.create(HeapBound.unbounded(), Clock.systemUTC(), false,
            TierListener.NONE));
      }
      for (String place : List.of(TierNames.MAPDB, TierNames.ROCKSDB)) {
        tiers.put(place, RocksDbTiers.open(directory, name + "-" + place, false, false, serializer,
            Capacity.unbounded(), locks, Clock.systemUTC(), TierListener.NONE));
      }
      composites.put(name, new CompositeTier<>(tiers, name.equals("two") ? new ByParity() : new ByRemainder()));
    }
    return composites;
  }

  /** Writes {@code value} the way a cache does: prepared (serialized, placed) once, then one compute. */
  static void write(CompositeTier<String> composite, String key, long value) {
    composite.compute(key, (k, current) -> composite.prepare(k, value).envelope(Envelope.ETERNAL));
  }

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    long base = Long.parseLong(args[1]);
    Random random = new Random(base);
    PrintStream out = System.out;
    List<Map.Entry<String, CompositeTier<String>>> composites = List.copyOf(open(directory).entrySet());
    out.println("READY");
    out.flush();
    for (long value = base; ; value++) {
      Map.Entry<String, CompositeTier<String>> composite = composites.get(random.nextInt(composites.size()));
      String key = KEYS.get(random.nextInt(KEYS.size()));
      out.println("W " + composite.getKey() + " " + key + " " + value);
      out.flush();
      write(composite.getValue(), key, value);
      out.println("A " + composite.getKey() + " " + key + " " + value);
      out.flush();
    }
  }
}
