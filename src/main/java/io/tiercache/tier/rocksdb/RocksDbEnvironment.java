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
import org.rocksdb.CompressionType;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Env;
import org.rocksdb.SstFileManager;
import org.rocksdb.WALRecoveryMode;
import io.tiercache.tier.FilePermissions;
import java.util.HashSet;
import java.util.Set;

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
  private RocksDbCatalog catalog;

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
  static synchronized void loadLibrary() {
    if (libraryFailure != null) {
      // tried once: trying again costs seconds each time and fails the same way
      throw TierUnavailableException.degradable(libraryFailure.getMessage(), libraryFailure.getCause());
    }
    try {
      RocksDB.loadLibrary();
    } catch (Throwable e) {
      libraryFailure = TierUnavailableException.degradable("RocksDB's native library cannot be loaded on this machine ("
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e, e);
      throw libraryFailure;
    }
  }

  private static TierUnavailableException libraryFailure; // guarded by the class
  private static SstFileManager sstFileManager;           // guarded by the class: one per process suffices

  private static synchronized SstFileManager sstFileManager() {
    if (sstFileManager == null) {
      try {
        sstFileManager = new SstFileManager(Env.getDefault());
      } catch (RocksDBException e) {
        throw new TierUnavailableException("Cannot create RocksDB's file manager: " + e.getMessage(), e);
      }
    }
    return sstFileManager;
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
    RocksDbCatalog catalog = RocksDbCatalog.of(directory);
    // a record torn by a crash at the end of the write-ahead log is dropped (it was never acknowledged);
    // damage anywhere else fails the open, where the default would silently drop everything after it
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true).setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
        // with a file manager, RocksDB watches free space after a "no space" error and resumes writing by itself
        .setSstFileManager(sstFileManager()).setMaxBgErrorResumeCount(Integer.MAX_VALUE)
        .setBgerrorResumeRetryInterval(1_000_000);
    BloomFilter filter = new BloomFilter(10, false);
    BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(filter);
    // LZ4 rather than RocksDB's default Snappy: it decompresses several times faster, and a read of a large
    // compressible value spent most of its time in Snappy (480 us against 120 us for 575 KiB); data that does
    // not compress is stored as it is either way
    ColumnFamilyOptions columnFamilyOptions = new ColumnFamilyOptions().setTableFormatConfig(table)
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options listOptions = new Options()) {
      ManifestCheck.check(directory); // before RocksDB reads it: a damaged one can hang RocksDB for good
      List<byte[]> names = RocksDB.listColumnFamilies(listOptions, directory.toString());
      if (names.isEmpty()) {
        names = List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
      }
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, columnFamilyOptions));
      }
      checkAgainstCatalog(directory, catalog, names, dbOptions, descriptors);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
      WriteOptions writeOptions = new WriteOptions();
      try {
        RocksDbEnvironment environment = new RocksDbEnvironment(directory, db, dbOptions, columnFamilyOptions,
            writeOptions, filter, descriptors, handles);
        environment.catalog = catalog;
        catalog.created(names.size() > 1); // more than the default family: caches of an older version
        for (byte[] name : names) { // a store from before the catalog gets one listing what it has
          if (!java.util.Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)) {
            catalog.addFamily(new String(name, StandardCharsets.UTF_8));
          }
        }
        permissions(directory);
        return environment;
      } catch (RuntimeException e) {
        // an open database holds the directory's LOCK: let go of it before the options it runs on are freed
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        throw e;
      }
    } catch (RocksDBException | RuntimeException e) {
      dbOptions.close();
      columnFamilyOptions.close();
      filter.close();
      if (e instanceof TierUnavailableException) {
        throw (TierUnavailableException) e;
      }
      String message = String.valueOf(e.getMessage());
      if (message.contains("lock")) {
        throw new TierUnavailableException("Cannot open the RocksDB store in " + directory + ": " + message
            + " (another process has it open)", e);
      }
      throw new TierUnavailableException("Cannot open the RocksDB store in " + directory + ": " + message
          + walFiles(directory, message) + ". The store is damaged; tiercache does not start on it rather than serve a part of it as if it were"
          + " whole. Restore the directory from a backup, or move it aside to start empty.", e);
    }
  }

  /**
   * Before RocksDB opens the directory for writing (and deletes files its MANIFEST does not list), checks in a
   * read-only open that the MANIFEST still lists every cache this directory had and reaches the sequence of
   * the last clean close: a damaged MANIFEST otherwise opens as a store with caches or keys missing.
   */
  private static void checkAgainstCatalog(Path directory, RocksDbCatalog catalog, List<byte[]> names,
      DBOptions dbOptions, List<ColumnFamilyDescriptor> descriptors) throws RocksDBException {
    if (catalog.families().isEmpty()) {
      return; // a new store, or one from before the catalog
    }
    Set<String> listed = new HashSet<>();
    names.forEach(name -> listed.add(new String(name, StandardCharsets.UTF_8)));
    for (String family : catalog.families()) {
      if (!listed.contains(family)) {
        throw new TierUnavailableException("The RocksDB store in " + directory + " is damaged: its MANIFEST no"
            + " longer lists the column family of cache '" + family + "', which " + RocksDbCatalog.FILE_NAME
            + " says it holds. Restore the directory from a backup, or move it aside to start empty.", null);
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (RocksDB readOnly = RocksDB.openReadOnly(dbOptions, directory.toString(), descriptors, handles)) {
      long sequence = readOnly.getLatestSequenceNumber();
      if (sequence < catalog.lastSequence()) {
        throw new TierUnavailableException("The RocksDB store in " + directory + " is damaged: it reaches"
            + " sequence " + sequence + ", but it was at " + catalog.lastSequence() + " when last closed, so"
            + " records are missing (a damaged MANIFEST or a deleted file). Restore the directory from a"
            + " backup, or move it aside to start empty.", null);
      }
    } finally {
      handles.forEach(ColumnFamilyHandle::close);
    }
  }

  /** RocksDB names no file when its write-ahead log fails a checksum: name the candidates. */
  private static String walFiles(Path directory, String message) {
    if (message.contains(".sst") || message.contains("MANIFEST")) {
      return "";
    }
    try (java.util.stream.Stream<Path> files = Files.list(directory)) {
      List<String> logs = files.map(f -> f.getFileName().toString()).filter(f -> f.matches("[0-9]+\\.log"))
          .sorted().collect(java.util.stream.Collectors.toList());
      return logs.isEmpty() ? "" : " (its write-ahead log: " + String.join(", ", logs) + ")";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void permissions(Path directory) {
    try {
      FilePermissions.ownerOnlyTree(directory);
    } catch (java.io.IOException e) {
      throw new TierUnavailableException("Cannot make " + directory + " readable by its owner only: " + e, e);
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
      catalog.addFamily(name);
    }
    return handle;
  }

  RocksDB db() {
    return db;
  }

  /** Returns true when the store may hold records older than format version 3. */
  boolean legacyRecords() {
    return catalog.legacyRecords();
  }

  /**
   * Drops a cache's column family and its records; returns false when there is none. The catalog forgets it
   * first: a crash between the two steps leaves a family the catalog does not list, which the next open adopts
   * again (the destroy did not happen), never a listed family missing, which would read as a damaged MANIFEST.
   */
  synchronized boolean dropFamily(String name) {
    ColumnFamilyHandle handle = families.get(name);
    if (handle == null || name.equals("default")) {
      return false;
    }
    catalog.removeFamily(name);
    try {
      db.dropColumnFamily(handle);
    } catch (RocksDBException e) {
      throw new io.tiercache.tier.TierException("Cannot drop the RocksDB column family of cache '" + name
          + "' in " + directory + ": " + e.getMessage(), e);
    }
    families.remove(name);
    handles.remove(handle);
    handle.close();
    try {
      // the dropped family's newest writes, never flushed, took the store's newest sequence numbers with them;
      // a write to the default family carries the sequence past them, and the flush at close keeps it, so the
      // catalog's check that no write went missing still holds at the next open
      db.put(families.get("default"), writeOptions, DROP_MARKER, name.getBytes(StandardCharsets.UTF_8));
    } catch (RocksDBException e) {
      throw new io.tiercache.tier.TierException("Cannot record the drop of cache '" + name + "' in " + directory
          + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static final byte[] DROP_MARKER = "tiercache:last-dropped-family".getBytes(StandardCharsets.UTF_8);

  /** Compacts every column family fully (the command line's {@code compact}). */
  synchronized void compactAll() {
    try {
      for (ColumnFamilyHandle handle : handles) {
        db.compactRange(handle);
      }
    } catch (RocksDBException e) {
      throw new io.tiercache.tier.TierException("Cannot compact the RocksDB store in " + directory + ": "
          + e.getMessage(), e);
    }
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
      // a clean close leaves every record in checksummed table files, not only in the write-ahead log
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush, handles);
        catalog.closedAt(db.getLatestSequenceNumber());
      } catch (RocksDBException | RuntimeException e) {
        try {
          db.flushWal(true); // the WAL is still there to replay
        } catch (RocksDBException ignored) {
          // closing goes on
        }
      }
      for (ColumnFamilyHandle handle : handles) {
        handle.close();
      }
      db.close();
      try {
        permissions(directory); // files RocksDB created while open were made under the process's umask
      } catch (TierUnavailableException e) {
        org.slf4j.LoggerFactory.getLogger(RocksDbEnvironment.class).warn(e.getMessage());
      }
      writeOptions.close();
      columnFamilyOptions.close();
      dbOptions.close();
      filter.close();
    }
  }
}
