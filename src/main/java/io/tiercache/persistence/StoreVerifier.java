package io.tiercache.persistence;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierException;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.SerializedTier;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scans a tiercache directory that no process holds and reports, store by store, how many records it holds
 * and which are damaged: a store that does not open (with the reason, naming the file), records failing their
 * checksum, and, when an allowlist is given, keys and values that no longer decode. Nothing is repaired or
 * dropped: that is what a cache does when it meets a damaged record. A MapDB store is read from its redo log
 * (what its file is rebuilt from), or from its file opened read-only when it has none; RocksDB's column
 * families are opened as a cache opens them. The command line's {@code verify} calls it.
 */
public final class StoreVerifier {

  /**
   * What one store holds.
   *
   * @param store the store, such as {@code rocksdb#orders} or {@code mapdb/orders.db}
   * @param records the records read
   * @param damaged the records that fail their checksum or do not decode
   * @param problems what is wrong, one line each (the first few records, or why the store did not open)
   */
  public record StoreReport(String store, long records, long damaged, List<String> problems) {
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
   */
  public record Report(Path directory, List<StoreReport> stores) {
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
    List<StoreReport> reports = new ArrayList<>();
    try (StoreDirectory store = StoreDirectory.open(directory)) {
      Serializer serializer = new KryoSerializer(store.registry(), ClassAllowlist.of(allowlist),
          () -> classLoader, "verify " + directory);
      boolean decode = !allowlist.isEmpty();
      for (String cache : RocksDbTiers.cacheNames(store.rocksDb())) {
        String name = "rocksdb#" + cache;
        reports.add(scan(name, decode, serializer, () -> RocksDbTiers.open(store.rocksDb(), cache, false, false,
            serializer, Capacity.unbounded(), new KeyLocks(16), Clock.systemUTC(), TierListener.NONE)));
      }
      for (Path file : mapDbFiles(store.root().resolve("mapdb"))) {
        reports.add(scanMapDb("mapdb/" + file.getFileName(), file, decode, serializer));
      }
    }
    return new Report(directory, reports);
  }

  private static StoreReport scan(String name, boolean decode, Serializer serializer,
      java.util.function.Supplier<SerializedTier<Object>> opener) {
    SerializedTier<Object> tier;
    try {
      tier = opener.get();
    } catch (RuntimeException e) {
      return new StoreReport(name, 0, 0, List.of("does not open: " + e.getMessage()));
    }
    long records = 0;
    long damaged = 0;
    List<String> problems = new ArrayList<>();
    try {
      Iterator<Map.Entry<byte[], byte[]>> all = tier.records();
      while (all.hasNext()) {
        Map.Entry<byte[], byte[]> record = all.next();
        records++;
        String problem = RecordFormat.damage(record.getKey(), record.getValue());
        if (problem == null && decode) {
          problem = decodeProblem(serializer, record.getKey(), record.getValue());
        }
        if (problem != null) {
          damaged++;
          if (problems.size() < PROBLEMS_LISTED) {
            problems.add("record " + records + ": " + problem);
          }
        }
      }
    } catch (RuntimeException e) {
      problems.add("reading stopped after " + records + " records: " + e.getMessage());
    } finally {
      tier.close();
    }
    return new StoreReport(name, records, damaged, problems);
  }

  /** MapDB stores are read without being opened for writing, so verifying never rebuilds or moves a file. */
  private static StoreReport scanMapDb(String name, Path file, boolean decode, Serializer serializer) {
    long[] counts = new long[2];
    List<String> problems = new ArrayList<>();
    try {
      MapDbTiers.scan(file, (key, record) -> {
        counts[0]++;
        String problem = RecordFormat.damage(key, record);
        if (problem == null && decode) {
          problem = decodeProblem(serializer, key, record);
        }
        if (problem != null) {
          counts[1]++;
          if (problems.size() < PROBLEMS_LISTED) {
            problems.add("record " + counts[0] + ": " + problem);
          }
        }
      });
    } catch (RuntimeException e) {
      problems.add("does not open: " + e.getMessage());
    }
    return new StoreReport(name, counts[0], counts[1], problems);
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

  private static List<Path> mapDbFiles(Path directory) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.db")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new TierException("Cannot list the MapDB stores in " + directory + ": " + e, e);
    }
    files.sort(null);
    return files;
  }
}
