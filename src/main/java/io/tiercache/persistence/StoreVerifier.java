package io.tiercache.persistence;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.TierException;
import io.tiercache.tier.serialized.RecordFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scans a tiercache directory and reports, store by store, how many records it holds, their bytes, format
 * versions and expired share, and which are damaged: a store that does not open (with the reason, naming the
 * file), records failing their checksum, and, when an allowlist is given, keys and values that no longer
 * decode. No record is repaired or dropped: that is what a cache does when it meets a damaged one. A MapDB
 * store is read from its redo log (what its file is rebuilt from), or from its file opened read-only when it
 * has none. A directory no process holds is locked meanwhile and RocksDB opened as a cache opens it, with its
 * check that no cache or write went missing from the MANIFEST (which, as for a cache, drops a write torn at
 * the very end of the log and narrows loose permissions); a held one is read without writing anything. The
 * command line's {@code inspect} and {@code verify} call it.
 */
public final class StoreVerifier {

  /**
   * What one store holds.
   *
   * @param store the store, such as {@code rocksdb#orders} or {@code mapdb/orders.db}
   * @param records the records read
   * @param damaged the records that fail their checksum or do not decode
   * @param problems what is wrong, one line each (the first few records, or why the store did not open)
   * @param cache the cache the store belongs to
   * @param tier {@code rocksdb} or {@code mapdb}
   * @param bytes the bytes of the records read, keys included
   * @param expired the records whose expiry had passed when they were read (a cache drops them when it meets
   *     them)
   * @param versions how many records have each record-format version
   * @param encrypted how many of the records are encrypted: only their keys can check or decode them, so they
   *     are counted, not checked (a cache drops one that fails authentication)
   */
  public record StoreReport(String store, long records, long damaged, List<String> problems, String cache,
      String tier, long bytes, long expired, Map<Integer, Long> versions, long encrypted) {
    /** Returns true when the store opened and every record is sound. */
    public boolean sound() {
      return problems.isEmpty();
    }
  }

  /**
   * The whole directory.
   *
   * @param directory the directory scanned
   * @param stores one report per store found
   * @param heldBy who held the directory while it was read ({@link StoreDirectory#holder}), or null when this
   *     scan held it: a held directory is read as it is, and records written meanwhile may be missed
   * @param classes the classes its registry lists, by id: {class name, layout fingerprint}
   */
  public record Report(Path directory, List<StoreReport> stores, String heldBy, Map<Integer, String[]> classes) {
    /** Returns true when any store failed to open or holds a damaged record. */
    public boolean damageFound() {
      return stores.stream().anyMatch(store -> !store.sound());
    }
  }

  private static final int PROBLEMS_LISTED = 20;

  private StoreVerifier() { }

  /**
   * Verifies the stores of {@code directory}, locking it meanwhile.
   *
   * @param allowlist the classes values and keys may be decoded as; empty to check checksums only
   * @param classLoader loads those classes
   * @throws TierException if the directory is held by a running process, or cannot be opened at all
   */
  public static Report verify(Path directory, List<String> allowlist, ClassLoader classLoader) {
    return verify(directory, allowlist, classLoader, false);
  }

  /**
   * Verifies the stores of {@code directory}: locked meanwhile when no process holds it; read without writing
   * anything when one does and {@code readHeld} is true.
   *
   * @throws TierException if the directory is held and {@code readHeld} is false, or it cannot be read at all
   */
  public static Report verify(Path directory, List<String> allowlist, ClassLoader classLoader, boolean readHeld) {
    String heldBy = readHeld ? StoreDirectory.holder(directory) : null;
    if (heldBy != null) {
      ClassRegistry registry = ClassRegistry.readOnly(directory.resolve("kryo-classes.registry"));
      return new Report(directory, scanAll(directory, registry, allowlist, classLoader, false), heldBy,
          registry.entries());
    }
    try (StoreDirectory store = StoreDirectory.open(directory)) {
      return new Report(directory, scanAll(directory, store.registry(), allowlist, classLoader, true), null,
          store.registry().entries());
    }
  }

  private static List<StoreReport> scanAll(Path directory, ClassRegistry registry, List<String> allowlist,
      ClassLoader classLoader, boolean exclusive) {
    Serializer serializer = new KryoSerializer(registry, ClassAllowlist.of(allowlist), () -> classLoader,
        "verify " + directory);
    List<StoreReport> reports = new ArrayList<>();
    List<StoreScanner.Store> stores;
    try {
      stores = StoreScanner.stores(directory);
    } catch (RuntimeException e) {
      return List.of(new StoreReport("(directory)", 0, 0, List.of("cannot be listed: " + e.getMessage()), "", "",
          0, 0, Map.of(), 0));
    }
    for (StoreScanner.Store store : stores) {
      reports.add(scan(store, exclusive, allowlist.isEmpty() ? null : serializer));
    }
    return reports;
  }

  private static StoreReport scan(StoreScanner.Store store, boolean exclusive, Serializer decoder) {
    long[] counts = new long[5]; // records, damaged, bytes, expired, encrypted
    Map<Integer, Long> versions = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    long now = System.currentTimeMillis();
    try {
      StoreScanner.scan(store, exclusive, (key, record) -> {
        if (java.util.Arrays.equals(key, io.tiercache.tier.serialized.ProtectedStore.MARKER_KEY)) {
          return; // the encryption marker: not a record
        }
        counts[0]++;
        if (io.tiercache.tier.serialized.ProtectedStore.sealedOrMarker(key, record)) {
          counts[2] += key.length + record.length;
          counts[4]++;
          return;
        }
        counts[2] += key.length + record.length;
        if (record.length > 0) {
          versions.merge((int) record[0], 1L, Long::sum);
        }
        String problem = RecordFormat.damage(key, record);
        if (problem == null && RecordFormat.expireAt(record) <= now) {
          counts[3]++;
        }
        if (problem == null && decoder != null) {
          problem = decodeProblem(decoder, key, record);
        }
        if (problem != null) {
          counts[1]++;
          if (problems.size() < PROBLEMS_LISTED) {
            problems.add("record " + counts[0] + ": " + problem);
          }
        }
      });
    } catch (RuntimeException e) {
      problems.add(counts[0] == 0 ? "does not open: " + e.getMessage()
          : "reading stopped after " + counts[0] + " records: " + e.getMessage());
    }
    return new StoreReport(store.label(), counts[0], counts[1], problems, store.cache(), store.tier(), counts[2],
        counts[3], versions, counts[4]);
  }

  private static String decodeProblem(Serializer serializer, byte[] key, byte[] record) {
    try {
      serializer.deserializeKey(key, 0, key.length);
      int offset = RecordFormat.valueOffset(record);
      serializer.deserialize(record, offset, record.length - offset);
      return null;
    } catch (RuntimeException e) {
      return "does not decode: " + e.getMessage();
    }
  }
}
