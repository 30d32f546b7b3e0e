package io.tiercache.tier.mapdb;

import io.tiercache.serialization.Serializer;
import io.tiercache.tier.FilePermissions;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.ByteStore;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.ProtectedStore;
import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.StoreProtection;
import io.tiercache.tier.serialized.SerializedTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens MapDB tiers: a hash map in a memory-mapped file (one file per cache), or in direct memory off the
 * Java heap. Eviction when over capacity is described in {@link SerializedTier}.
 *
 * <p>Crash safety, by {@link Durability}: the default, {@link Durability#LOG}, appends every change to a
 * {@link RedoLog} before the mapped file sees it, and rebuilds the file from the log when a crash left it
 * inconsistent, so a crash loses no acknowledged write. {@link Durability#TRANSACTIONS} uses MapDB's own
 * write-ahead log instead (a commit per write, about a millisecond each). {@link Durability#NONE} is the
 * mapped file alone: fastest, but a crash loses the whole file, which is then moved aside (only the latest
 * such file is kept) and the tier starts empty.
 */
public final class MapDbTiers {

  private static final Logger LOG = LoggerFactory.getLogger(MapDbTiers.class);
  private static final String UNCLEAN = ".unclean-";

  /** How a file-backed MapDB tier survives a crash. */
  public enum Durability {
    /** Every change is appended to a log of our own first; a crash loses no acknowledged write. */
    LOG,
    /** MapDB's transactions, committed per write; a crash loses nothing, every write costs a commit. */
    TRANSACTIONS,
    /** The mapped file alone: a crash loses everything the tier held. */
    NONE
  }

  private MapDbTiers() { }

  /**
   * Opens a file-backed tier.
   *
   * @param file the store file
   * @param durability how the tier survives a crash
   * @param clear true for a transient cache: start empty
   * @param locks the per-key locks of the cache (shared with its composite, if any)
   * @throws TierUnavailableException if the file's directory cannot be used, the file is held, or its log is
   *     damaged (the message names the file and what to do)
   */
  public static <K> SerializedTier<K> openFile(Path file, Durability durability, boolean clear,
      Serializer serializer, Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener) {
    return openFile(file, durability, clear, serializer, capacity, locks, clock, listener, StoreProtection.NONE);
  }

  /**
   * Opens a file-backed tier whose records are protected (encrypted) as {@code protection} says; what reaches
   * the file and the redo log is what the protection seals.
   *
   * @see #openFile(Path, Durability, boolean, Serializer, Capacity, KeyLocks, Clock, TierListener)
   */
  public static <K> SerializedTier<K> openFile(Path file, Durability durability, boolean clear,
      Serializer serializer, Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener,
      StoreProtection protection) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FilePermissions.ownerOnly(file.toAbsolutePath().getParent());
    } catch (IOException | RuntimeException e) {
      throw new TierUnavailableException("Cannot create the MapDB directory for " + file + ": " + e, e);
    }
    RedoLog log = RedoLog.at(file);
    if (durability != Durability.LOG) {
      log.deleteAll(); // changes made without it would leave it stale, and a later crash would replay it
      log = null;
    }
    if (clear) {
      deleteStore(file);
      if (log != null && log.exists()) {
        log.dropBefore(log.roll());
        log.close();
        log = RedoLog.at(file);
      }
    }
    boolean rebuild = false;
    if (log != null && log.exists() && Files.exists(log.rebuildMarker())) {
      // a damaged record was found in the file while it was open: the log has the sound one
      LOG.info("MapDB store {} held a damaged record; rebuilding it from its log", file);
      deleteStore(file);
      rebuild = true;
    }
    DB db;
    try {
      try {
        db = makeFileDb(file, durability == Durability.TRANSACTIONS);
      } catch (DBException.FileLocked e) {
        throw e;
      } catch (RuntimeException e) {
        if (log != null && log.exists()) {
          // the file is only an index of the log, which holds every acknowledged write: rebuild it
          LOG.info("MapDB store {} was not closed cleanly or is damaged ({}); rebuilding it from its log", file,
              e.toString());
          deleteStore(file);
          rebuild = true;
        } else if (!(e instanceof DBException.DataCorruption || e instanceof DBException.WrongFormat)) {
          throw e;
        } else {
          Path aside = file.resolveSibling(file.getFileName() + UNCLEAN + System.currentTimeMillis());
          LOG.warn("MapDB store {} was not closed cleanly (the process crashed or was killed) and has no log to"
              + " rebuild it from: moved it to {} and starting this tier empty.", file, aside);
          moveAside(file, aside);
        }
        db = makeFileDb(file, durability == Durability.TRANSACTIONS);
      }
    } catch (DBException.FileLocked e) {
      throw new TierUnavailableException("MapDB store " + file + " is locked (by another process, or by another"
          + " cache of this one)", e);
    } catch (RuntimeException e) {
      throw new TierUnavailableException("Cannot open the MapDB store " + file + ": " + e, e);
    }
    permissions(file);
    try {
      return tier("mapdb:" + file, file.toAbsolutePath().getParent(), db, durability, log, rebuild, clear,
          serializer, capacity, locks, clock, listener, protection);
    } catch (RebuildFromLog damaged) {
      deleteStore(file);
      return tier("mapdb:" + file, file.toAbsolutePath().getParent(), makeFileDb(file, false), durability, log,
          true, clear, serializer, capacity, locks, clock, listener, protection);
    }
  }

  /** Thrown (and caught) when a cleanly closed file turns out damaged: it is rebuilt from the log instead. */
  private static final class RebuildFromLog extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RebuildFromLog() {
      super(null, null, false, false);
    }
  }

  /**
   * Returns true when every record of a store passes its checksum, is found again by its key, and the store
   * can be iterated to the end.
   */
  private static boolean sound(MapDbStore store, boolean legacyRecords) {
    try {
      java.util.Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(null);
      while (records.hasNext()) {
        Map.Entry<byte[], byte[]> record = records.next();
        if (!ProtectedStore.sealedOrMarker(record.getKey(), record.getValue())
            && RecordFormat.damage(record.getKey(), record.getValue(), legacyRecords) != null
            || !java.util.Arrays.equals(store.get(record.getKey()), record.getValue())) {
          return false; // a damaged record, or an index that no longer leads a key to its own record
        }
      }
      return true;
    } catch (RuntimeException damaged) {
      return false;
    }
  }

  /**
   * Visits the records of a file-backed store without changing anything (for verification): those its log
   * gives back when it has one (the log is what a crashed or damaged file is rebuilt from), else those of the
   * file, opened read-only.
   *
   * @throws TierUnavailableException naming the file when the log is damaged, or the file cannot be read
   */
  public static void scan(Path file, java.util.function.BiConsumer<byte[], byte[]> visitor) {
    RedoLog log = RedoLog.readOnlyAt(file);
    if (log.exists()) {
      Map<java.nio.ByteBuffer, byte[]> state = liveRecords(log, false);
      state.forEach((key, record) -> visitor.accept(key.array(), record));
      return;
    }
    DB db;
    try {
      db = DBMaker.fileDB(file.toFile()).fileMmapEnableIfSupported().readOnly().make();
    } catch (RuntimeException e) {
      throw new TierUnavailableException("Cannot read the MapDB store " + file + " (it has no log, and was not"
          + " closed cleanly or is damaged): " + e, e);
    }
    try {
      HTreeMap<byte[], byte[]> map = db.hashMap("entries", org.mapdb.Serializer.BYTE_ARRAY,
          org.mapdb.Serializer.BYTE_ARRAY).open();
      map.forEach(visitor);
    } catch (RuntimeException e) {
      throw new TierUnavailableException("Cannot read the MapDB store " + file + ": " + e, e);
    } finally {
      db.close();
    }
  }

  /**
   * Compacts a file-backed store that no process holds: its log is rewritten to hold only the live records,
   * and its file rebuilt from that log, so neither keeps the space of deleted and overwritten records. Only
   * the default mode (a file with a log) compacts; the others are left as they are.
   *
   * @return the bytes the file and its log took before and after, or null when the store has no log
   * @throws TierUnavailableException naming the file when the log is damaged or cannot be written
   */
  public static long[] compact(Path file, Serializer serializer) {
    RedoLog log = RedoLog.at(file);
    if (!log.exists()) {
      return null;
    }
    long before = storeBytes(file);
    Map<java.nio.ByteBuffer, byte[]> live = liveRecords(log, true);
    try {
      log.openForAppend();
      long generation = log.roll();
      java.util.Iterator<Map.Entry<java.nio.ByteBuffer, byte[]>> records = live.entrySet().iterator();
      log.appendAll(new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return records.hasNext();
        }

        @Override
        public Map.Entry<byte[], byte[]> next() {
          Map.Entry<java.nio.ByteBuffer, byte[]> record = records.next();
          return Map.entry(record.getKey().array(), record.getValue());
        }
      });
      log.force(); // on disk before the older generations go, so that not even a power loss leaves neither
      // a crash before this line leaves the old generations and the new one: a replay still gives the state
      log.dropBefore(generation);
      log.markForRebuild(); // the file is rebuilt from the compact log by the open below
    } finally {
      log.close();
    }
    openFile(file, Durability.LOG, false, serializer, Capacity.unbounded(), new KeyLocks(16),
        java.time.Clock.systemUTC(), io.tiercache.tier.TierListener.NONE).close();
    return new long[] {before, storeBytes(file)};
  }

  /**
   * Deletes a file-backed store that is not open, with its log (the cache manager's {@code destroyCache}):
   * the log first, so that a crash midway never leaves a log that would rebuild the store.
   *
   * @return true when there was something to delete
   */
  public static boolean destroy(Path file) {
    if (!Files.isDirectory(file.toAbsolutePath().getParent())) {
      return false;
    }
    RedoLog log = RedoLog.at(file);
    boolean existed = log.exists() || Files.exists(file);
    log.deleteAll();
    log.close();
    deleteStore(file);
    try {
      Files.deleteIfExists(log.rebuildMarker());
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot delete " + log.rebuildMarker() + ": " + e, e);
    }
    return existed;
  }

  /** Replays a log into the records it leaves, by key; {@code repair} as in {@link RedoLog#replay(RedoLog.Replay, boolean)}. */
  private static Map<java.nio.ByteBuffer, byte[]> liveRecords(RedoLog log, boolean repair) {
    Map<java.nio.ByteBuffer, byte[]> live = new java.util.LinkedHashMap<>();
    log.replay(new RedoLog.Replay() {
      @Override
      public void put(byte[] key, byte[] record) {
        live.put(java.nio.ByteBuffer.wrap(key), record);
      }

      @Override
      public void delete(byte[] key) {
        live.remove(java.nio.ByteBuffer.wrap(key));
      }
    }, repair);
    return live;
  }

  private static long storeBytes(Path file) {
    long total = 0;
    try (java.nio.file.DirectoryStream<Path> siblings = Files.newDirectoryStream(file.toAbsolutePath().getParent(),
        file.getFileName() + "*")) {
      for (Path sibling : siblings) {
        total += Files.size(sibling);
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }

  /** Opens a tier in direct (off-heap) memory; it lives as long as the cache. */
  public static <K> SerializedTier<K> openDirectMemory(Serializer serializer, Capacity capacity, KeyLocks locks,
      Clock clock, TierListener<? super K> listener) {
    DB db = DBMaker.memoryDirectDB().make();
    // off-heap memory never reaches the disk: nothing to encrypt
    return tier("mapdb:direct-memory", null, db, Durability.NONE, null, false, false, serializer, capacity,
        locks, clock, listener, (store, name) -> store);
  }

  private static DB makeFileDb(Path file, boolean transactions) {
    // closeOnJvmShutdown: an application that exits without closing its cache manager still leaves a clean file
    DBMaker.Maker maker = DBMaker.fileDB(file.toFile()).fileMmapEnableIfSupported().fileMmapPreclearDisable()
        .cleanerHackEnable().closeOnJvmShutdown();
    if (transactions) {
      maker = maker.transactionEnable();
    }
    return maker.make();
  }

  private static void moveAside(Path file, Path aside) {
    deleteOlderAside(file);
    try {
      Files.move(file, aside);
      for (String suffix : new String[] {".wal.0", ".wal.1"}) {
        Path wal = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(wal)) {
          Files.move(wal, aside.resolveSibling(aside.getFileName() + suffix));
        }
      }
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot move the damaged MapDB store " + file + " aside: " + e, e);
    }
  }

  /** Keeps one moved-aside file (the newest, about to be replaced by {@code file}'s) rather than one per crash. */
  private static void deleteOlderAside(Path file) {
    String prefix = file.getFileName() + UNCLEAN;
    try (var siblings = Files.newDirectoryStream(file.toAbsolutePath().getParent(), prefix + "*")) {
      for (Path old : siblings) {
        Files.deleteIfExists(old);
        LOG.info("Deleted {}, an older copy of a MapDB store a crash had left", old);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete older moved-aside copies of {}: {}", file, e.toString());
    }
  }

  /** Deletes a store file and MapDB's own write-ahead files beside it. */
  private static void deleteStore(Path file) {
    try {
      Files.deleteIfExists(file);
      for (String suffix : new String[] {".wal.0", ".wal.1"}) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot delete the MapDB store " + file + ": " + e, e);
    }
  }

  private static void permissions(Path file) {
    try {
      FilePermissions.ownerOnly(file);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot make " + file + " readable by its owner only: " + e, e);
    }
  }

  private static <K> SerializedTier<K> tier(String name, Path location, DB db, Durability durability,
      RedoLog log,
      boolean rebuild, boolean clear, Serializer serializer, Capacity capacity, KeyLocks locks, Clock clock,
      TierListener<? super K> listener, StoreProtection protection) {
    try {
      HTreeMap<byte[], byte[]> map = db.hashMap("entries", org.mapdb.Serializer.BYTE_ARRAY,
          org.mapdb.Serializer.BYTE_ARRAY).createOrOpen();
      MapDbStore engine = new MapDbStore(db, map, durability == Durability.TRANSACTIONS, location);
      if (clear) {
        engine.clear();
      }
      ByteStore store = engine;
      boolean legacyRecords = location != null; // a file in an unlogged mode may be from an older version
      if (log != null) {
        Path marker = log.legacyMarker();
        if (clear) {
          Files.deleteIfExists(marker);
        }
        if (rebuild) {
          long replayed = log.replay(new RedoLog.Replay() {
            @Override
            public void put(byte[] key, byte[] record) {
              engine.put(key, record);
            }

            @Override
            public void delete(byte[] key) {
              engine.delete(key);
            }
          });
          LOG.info("Rebuilt {} from {} log entries: {} records", name, replayed, map.size());
          Files.deleteIfExists(log.rebuildMarker());
        }
        if (!log.exists() && !map.isEmpty() && !Files.exists(marker)) {
          Files.createFile(marker); // records written before the log: they may be older than version 3
        }
        legacyRecords = Files.exists(marker);
        if (!rebuild && log.exists() && !sound(engine, legacyRecords)) {
          // a clean file whose records fail their checksums: the log still has every one of them
          LOG.warn("MapDB store {} holds damaged records; rebuilding it from its log", name);
          db.close();
          throw new RebuildFromLog();
        }
        if (!log.exists() && !map.isEmpty()) { // a store from before the log, or opened in another mode
          log.bootstrap(map.entrySet().iterator());
        }
        log.openForAppend();
        store = new LoggedStore(engine, log, LoggedStore.MIN_COMPACTION_BYTES);
      }
      store = protection.protect(store, name);
      SerializedTier.countExisting(store, capacity);
      return new SerializedTier<>(name, store, serializer, capacity, locks, clock, listener, legacyRecords);
    } catch (RebuildFromLog damaged) {
      throw damaged; // the file is closed; the log stays open for the rebuild
    } catch (IOException | RuntimeException e) {
      db.close(); // never leave a file mapped and locked behind a failed open
      if (log != null) {
        log.close();
      }
      if (e instanceof TierUnavailableException) {
        throw (TierUnavailableException) e;
      }
      throw new TierUnavailableException("Cannot open " + name + ": " + e.getMessage(), e);
    }
  }
}
