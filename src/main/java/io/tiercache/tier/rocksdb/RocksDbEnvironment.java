package io.tiercache.tier.rocksdb;

import io.tiercache.tier.TierUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB database per directory, shared by the caches stored there: each cache is a column family.
 * Opened on first use and closed when its last cache lets go. Every column family has a bloom filter (10 bits
 * per key), so a lookup of an absent key rarely touches a data block; the write-ahead log is always on, and each
 * cache's {@code sync} decides whether its writes wait for it to reach the disk.
 */
final class RocksDbEnvironment {

  private static final Map<Path, RocksDbEnvironment> OPEN = new HashMap<>();

  private final Path directory;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnFamilyOptions;
  private final WriteOptions writeOptions;
  private final BloomFilter filter;
  private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
  private final List<ColumnFamilyHandle> handles;
  private int users;

  private RocksDbEnvironment(Path directory, RocksDB db, DBOptions dbOptions,
      ColumnFamilyOptions columnFamilyOptions, WriteOptions writeOptions, BloomFilter filter,
      List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
    this.directory = directory;
    this.db = db;
    this.dbOptions = dbOptions;
    this.columnFamilyOptions = columnFamilyOptions;
    this.writeOptions = writeOptions;
    this.filter = filter;
    this.handles = handles;
    for (int i = 0; i < descriptors.size(); i++) {
      families.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
    }
  }

  /**
   * Loads RocksDB's native library.
   *
   * @throws TierUnavailableException if it cannot be loaded on this machine, with the loader's reason
   */
  static void loadLibrary() {
    try {
      RocksDB.loadLibrary();
    } catch (Throwable e) {
      throw new TierUnavailableException("RocksDB's native library cannot be loaded on this machine ("
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e, e);
    }
  }

  /** Opens the database in {@code directory}, or joins it if this process has it open already. */
  static synchronized RocksDbEnvironment acquire(Path directory) {
    Path key = directory.toAbsolutePath().normalize();
    RocksDbEnvironment environment = OPEN.get(key);
    if (environment == null) {
      environment = open(key);
      OPEN.put(key, environment);
    }
    environment.users++;
    return environment;
  }

  private static RocksDbEnvironment open(Path directory) {
    loadLibrary();
    try {
      Files.createDirectories(directory);
    } catch (Exception e) {
      throw new TierUnavailableException("Cannot create the RocksDB directory " + directory + ": " + e, e);
    }
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    BloomFilter filter = new BloomFilter(10, false);
    BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(filter);
    ColumnFamilyOptions columnFamilyOptions = new ColumnFamilyOptions().setTableFormatConfig(table);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options listOptions = new Options()) {
      List<byte[]> names = RocksDB.listColumnFamilies(listOptions, directory.toString());
      if (names.isEmpty()) {
        names = List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
      }
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, columnFamilyOptions));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
      WriteOptions writeOptions = new WriteOptions();
      return new RocksDbEnvironment(directory, db, dbOptions, columnFamilyOptions, writeOptions, filter,
          descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      columnFamilyOptions.close();
      filter.close();
      throw new TierUnavailableException("Cannot open the RocksDB store in " + directory + ": "
          + e.getMessage() + (String.valueOf(e.getMessage()).contains("lock")
          ? " (another process has it open)" : ""), e);
    }
  }

  /** Returns the column family of {@code name}, creating it on first use. */
  synchronized ColumnFamilyHandle family(String name) {
    ColumnFamilyHandle handle = families.get(name);
    if (handle == null) {
      try {
        handle = db.createColumnFamily(
            new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
      } catch (RocksDBException e) {
        throw new TierUnavailableException("Cannot create column family '" + name + "' in " + directory
            + ": " + e.getMessage(), e);
      }
      families.put(name, handle);
      handles.add(handle);
    }
    return handle;
  }

  RocksDB db() {
    return db;
  }

  /** Returns new write options for one cache: each cache decides for itself whether writes wait for the disk. */
  static WriteOptions writeOptions(boolean sync) {
    return new WriteOptions().setSync(sync);
  }

  Path directory() {
    return directory;
  }

  /**
   * Lets go of the database; the last user syncs the write-ahead log and closes it. Done under the class lock,
   * so a concurrent {@link #acquire} cannot reopen the directory while RocksDB still holds its LOCK.
   */
  void release() {
    synchronized (RocksDbEnvironment.class) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(directory);
      try {
        db.flushWal(true);
      } catch (RocksDBException ignored) {
        // the WAL is still there to replay; closing goes on
      }
      for (ColumnFamilyHandle handle : handles) {
        handle.close();
      }
      db.close();
      writeOptions.close();
      columnFamilyOptions.close();
      dbOptions.close();
      filter.close();
    }
  }
}
