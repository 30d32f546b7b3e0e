package io.tiercache.tier.mapdb;

import io.tiercache.serialization.Serializer;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.SerializedTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * <p>Crash safety: with {@code transactions} on, every write is committed through MapDB's write-ahead log
 * and a crash loses nothing acknowledged. Without (the default, several times faster), the file is only
 * consistent after a clean close; a file left by a crash is moved aside with a warning naming it, and the
 * tier starts empty rather than serve damaged data.
 */
public final class MapDbTiers {

  private static final Logger LOG = LoggerFactory.getLogger(MapDbTiers.class);

  private MapDbTiers() { }

  /**
   * Opens a file-backed tier.
   *
   * @param file the store file
   * @param transactions commit each write through a write-ahead log
   * @param clear true for a transient cache: start empty
   * @param locks the per-key locks of the cache (shared with its composite, if any)
   * @throws TierUnavailableException if the file's directory cannot be used
   */
  public static <K> SerializedTier<K> openFile(Path file, boolean transactions, boolean clear, Serializer serializer,
      Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException | RuntimeException e) {
      throw new TierUnavailableException("Cannot create the MapDB directory for " + file + ": " + e, e);
    }
    DB db;
    try {
      db = makeFileDb(file, transactions);
    } catch (DBException.DataCorruption | DBException.WrongFormat e) {
      Path aside = file.resolveSibling(file.getFileName() + ".unclean-" + System.currentTimeMillis());
      LOG.warn("MapDB store {} was not closed cleanly (the process crashed or was killed) and cannot be trusted:"
          + " moved it to {} and starting this tier empty. Enable mapdb.transactions for crash safety.",
          file, aside);
      moveAside(file, aside);
      db = makeFileDb(file, transactions);
    } catch (DBException.FileLocked e) {
      throw new TierUnavailableException("MapDB store " + file + " is locked (by another process, or by another"
          + " cache of this one)", e);
    } catch (RuntimeException e) {
      throw new TierUnavailableException("Cannot open the MapDB store " + file + ": " + e, e);
    }
    return tier("mapdb:" + file, db, transactions, clear, serializer, capacity, locks, clock, listener);
  }

  /** Opens a tier in direct (off-heap) memory; it lives as long as the cache. */
  public static <K> SerializedTier<K> openDirectMemory(Serializer serializer, Capacity capacity, KeyLocks locks,
      Clock clock, TierListener<? super K> listener) {
    DB db = DBMaker.memoryDirectDB().make();
    return tier("mapdb:direct-memory", db, false, false, serializer, capacity, locks, clock, listener);
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

  private static <K> SerializedTier<K> tier(String name, DB db, boolean transactions, boolean clear, Serializer serializer,
      Capacity capacity, KeyLocks locks, Clock clock, TierListener<? super K> listener) {
    try {
      HTreeMap<byte[], byte[]> map = db.hashMap("entries", org.mapdb.Serializer.BYTE_ARRAY,
          org.mapdb.Serializer.BYTE_ARRAY).createOrOpen();
      MapDbStore store = new MapDbStore(db, map, transactions);
      if (clear) {
        store.clear();
      } else {
        SerializedTier.countExisting(store, capacity);
      }
      return new SerializedTier<>(name, store, serializer, capacity, locks, clock, listener);
    } catch (RuntimeException e) {
      db.close(); // never leave a file mapped and locked behind a failed open
      throw new TierUnavailableException("Cannot open " + name + ": " + e.getMessage(), e);
    }
  }
}
