package io.tiercache.persistence;

import io.tiercache.tier.TierException;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds the stores of a tiercache directory and reads their records without writing anything, so tools can
 * read a directory whether or not a process holds it: RocksDB opened read-only (no lock taken, the write-ahead
 * log read as it is), MapDB read from its log (or its file, read-only, when it has none). What a running
 * process writes meanwhile may or may not be seen.
 */
public final class StoreScanner {

  /**
   * One store: the records of one cache in one tier.
   *
   * @param cache the cache's name
   * @param tier {@code rocksdb} or {@code mapdb}
   * @param label how reports name it, such as {@code rocksdb#orders} or {@code mapdb/orders.db}
   * @param location the RocksDB database directory or the MapDB file
   */
  public record Store(String cache, String tier, String label, Path location) { }

  private StoreScanner() { }

  /**
   * Returns the stores of {@code directory}, RocksDB's caches first.
   *
   * @throws io.tiercache.tier.TierUnavailableException if the RocksDB database cannot be listed
   */
  public static List<Store> stores(Path directory) {
    List<Store> stores = new ArrayList<>();
    Path rocksDb = directory.resolve("rocksdb");
    for (String cache : RocksDbTiers.cacheNames(rocksDb)) {
      stores.add(new Store(cache, "rocksdb", "rocksdb#" + cache, rocksDb));
    }
    for (Path file : mapDbFiles(directory.resolve("mapdb"))) {
      String fileName = file.getFileName().toString();
      String cache = StoreNames.decode(fileName.substring(0, fileName.length() - ".db".length()));
      stores.add(new Store(cache, "mapdb", "mapdb/" + fileName, file));
    }
    return stores;
  }

  /**
   * Visits every record of {@code store}: its key bytes and its record (header and value).
   *
   * @param exclusive true when the caller holds the directory ({@link StoreDirectory#open}): RocksDB is then
   *     opened as a cache opens it, with its check that no cache or write went missing from its MANIFEST;
   *     false to read without writing, as a process may hold it
   * @throws io.tiercache.tier.TierUnavailableException naming the store when it cannot be read
   */
  public static void scan(Store store, boolean exclusive, BiConsumer<byte[], byte[]> visitor) {
    if (!store.tier().equals("rocksdb")) {
      MapDbTiers.scan(store.location(), visitor); // never writes, held or not
    } else if (!exclusive) {
      RocksDbTiers.scanReadOnly(store.location(), store.cache(), visitor);
    } else {
      io.tiercache.tier.serialized.SerializedTier<Object> tier = RocksDbTiers.open(store.location(), store.cache(),
          false, false, new io.tiercache.serialization.KryoSerializer(io.tiercache.serialization.ClassRegistry
              .inMemory(), io.tiercache.serialization.ClassAllowlist.of(List.of()), () -> null, "scan"),
          io.tiercache.tier.serialized.Capacity.unbounded(), new io.tiercache.tier.KeyLocks(16),
          java.time.Clock.systemUTC(), io.tiercache.tier.TierListener.NONE, (raw, label) -> raw);
      try {
        java.util.Iterator<java.util.Map.Entry<byte[], byte[]>> records = tier.records();
        while (records.hasNext()) {
          java.util.Map.Entry<byte[], byte[]> record = records.next();
          visitor.accept(record.getKey(), record.getValue());
        }
      } finally {
        tier.close();
      }
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
