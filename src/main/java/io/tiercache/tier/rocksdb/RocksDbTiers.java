package io.tiercache.tier.rocksdb;

import io.tiercache.serialization.Serializer;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.SerializedTier;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens RocksDB tiers: an LSM store on disk, one column family per cache in a database shared by the caches of
 * one directory. Eviction when over capacity is described in {@link SerializedTier}.
 */
public final class RocksDbTiers {

  private RocksDbTiers() { }

  /**
   * Opens the tier of one cache.
   *
   * @param directory the database directory
   * @param cacheName the cache, which names the column family
   * @param sync true to make each write wait for the write-ahead log to reach the disk (survives power loss);
   *     false keeps it in the OS cache (survives a process crash)
   * @param clear true for a transient cache: start empty
   * @param locks the per-key locks of the cache (shared with its composite, if any)
   * @throws TierUnavailableException if the native library or the directory is unusable
   */
  public static <K> SerializedTier<K> open(Path directory, String cacheName, boolean sync, boolean clear,
      Serializer serializer, Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener) {
    return open(directory, cacheName, sync, clear, serializer, capacity, locks, clock, listener,
        io.tiercache.tier.serialized.StoreProtection.NONE);
  }

  /**
   * Opens the tier of one cache, its records protected (encrypted) as {@code protection} says.
   *
   * @see #open(Path, String, boolean, boolean, Serializer, Capacity, KeyLocks, Clock, TierListener)
   */
  public static <K> SerializedTier<K> open(Path directory, String cacheName, boolean sync, boolean clear,
      Serializer serializer, Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener,
      io.tiercache.tier.serialized.StoreProtection protection) {
    RocksDbEnvironment environment = RocksDbEnvironment.acquire(directory);
    RocksDbStore engine;
    try {
      engine = new RocksDbStore(environment, cacheName, sync);
    } catch (RuntimeException e) {
      environment.release();
      throw e;
    }
    io.tiercache.tier.serialized.ByteStore store = engine;
    try {
      store = protection.protect(engine, engine.name());
      if (clear) {
        store.clear();
      } else {
        SerializedTier.countExisting(store, capacity);
      }
      return new SerializedTier<>(engine.name(), store, serializer, capacity, locks, clock, listener,
          environment.legacyRecords());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Returns the caches (column families) a RocksDB directory holds, or none when it has no database. */
  public static java.util.List<String> cacheNames(Path directory) {
    if (!java.nio.file.Files.isDirectory(directory)) {
      return java.util.List.of();
    }
    RocksDbEnvironment.loadLibrary();
    ManifestCheck.check(directory);
    try (org.rocksdb.Options options = new org.rocksdb.Options()) {
      java.util.List<String> names = new java.util.ArrayList<>();
      for (byte[] name : org.rocksdb.RocksDB.listColumnFamilies(options, directory.toString())) {
        String family = new String(name, java.nio.charset.StandardCharsets.UTF_8);
        if (!family.equals("default")) {
          names.add(family);
        }
      }
      return names;
    } catch (org.rocksdb.RocksDBException e) {
      throw new TierUnavailableException("Cannot list the caches of the RocksDB store in " + directory + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Visits the records of one cache without writing anything, also while another process has the database
   * open: RocksDB's read-only mode reads the files and the write-ahead log as they are at this moment, takes
   * no lock and changes no file.
   *
   * @throws TierUnavailableException naming the directory when the database cannot be read
   */
  public static void scanReadOnly(Path directory, String cacheName,
      java.util.function.BiConsumer<byte[], byte[]> visitor) {
    RocksDbEnvironment.loadLibrary();
    java.util.List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new java.util.ArrayList<>();
    java.util.List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
    byte[] wanted = cacheName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path infoLogs;
    try {
      // even a read-only open writes an info LOG, renaming the holder's aside: it goes to a directory of our own
      infoLogs = java.nio.file.Files.createTempDirectory("tiercache-scan");
    } catch (java.io.IOException e) {
      throw new TierUnavailableException("Cannot create a temporary directory for RocksDB's log: " + e, e);
    }
    ManifestCheck.check(directory);
    try (org.rocksdb.Options listing = new org.rocksdb.Options();
        org.rocksdb.DBOptions options = new org.rocksdb.DBOptions().setDbLogDir(infoLogs.toString());
        org.rocksdb.ColumnFamilyOptions familyOptions = new org.rocksdb.ColumnFamilyOptions()) {
      int index = -1;
      for (byte[] name : org.rocksdb.RocksDB.listColumnFamilies(listing, directory.toString())) {
        if (java.util.Arrays.equals(name, wanted)) {
          index = descriptors.size();
        }
        descriptors.add(new org.rocksdb.ColumnFamilyDescriptor(name, familyOptions));
      }
      if (index < 0) {
        throw new TierUnavailableException("The RocksDB store in " + directory + " has no cache '" + cacheName
            + "'", null);
      }
      try (org.rocksdb.RocksDB db = org.rocksdb.RocksDB.openReadOnly(options, directory.toString(), descriptors,
          handles)) {
        try (org.rocksdb.RocksIterator records = db.newIterator(handles.get(index))) {
          for (records.seekToFirst(); records.isValid(); records.next()) {
            visitor.accept(records.key(), records.value());
          }
          records.status();
        } finally {
          handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
        }
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw new TierUnavailableException("Cannot read the RocksDB store in " + directory + ": " + e.getMessage(), e);
    } finally {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(infoLogs)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (java.io.IOException ignored) {
        // a temporary directory left behind
      }
    }
  }

  /**
   * Deletes the records of a cache that is not open (the cache manager's {@code destroyCache}).
   *
   * @return true when the database had the cache
   */
  public static boolean destroy(Path directory, String cacheName) {
    if (!cacheNames(directory).contains(cacheName)) {
      return false;
    }
    RocksDbEnvironment environment = RocksDbEnvironment.acquire(directory);
    try {
      return environment.dropFamily(cacheName);
    } finally {
      environment.release();
    }
  }

  /**
   * Compacts every cache of a database no process holds: each column family is rewritten without the space
   * of deleted, overwritten and expired-then-removed records.
   *
   * @return the bytes of the database's files before and after
   */
  public static long[] compact(Path directory) {
    long before = directoryBytes(directory);
    RocksDbEnvironment environment = RocksDbEnvironment.acquire(directory);
    try {
      environment.compactAll();
    } finally {
      environment.release();
    }
    return new long[] {before, directoryBytes(directory)};
  }

  private static long directoryBytes(Path directory) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(directory)) {
      return files.filter(java.nio.file.Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /**
   * Checks that RocksDB's native library loads here.
   *
   * @throws TierUnavailableException if it does not
   */
  public static void checkAvailable() {
    RocksDbEnvironment.loadLibrary();
  }
}
