package io.tiercache.tier.mapdb;

import io.tiercache.tier.serialized.ByteStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import io.tiercache.tier.TierException;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.HTreeMap;

/**
 * A MapDB hash map of key bytes to record bytes as a {@link ByteStore}. With transactions on, each write is
 * committed (write-ahead log, forced to disk) before it returns; without, writes reach the memory-mapped file
 * and become durable when the store is closed.
 */
final class MapDbStore implements ByteStore {

  private final DB db;
  private final HTreeMap<byte[], byte[]> map;
  private final boolean commitEachWrite;
  private volatile boolean closed;

  private final java.nio.file.Path location;

  /** @param location the directory of the store's file, or null for direct memory */
  MapDbStore(DB db, HTreeMap<byte[], byte[]> map, boolean commitEachWrite, java.nio.file.Path location) {
    this.location = location;
    this.db = db;
    this.map = map;
    this.commitEachWrite = commitEachWrite;
  }

  /** The JVM reports a SIGBUS on a mapped file (its disk is full) as an InternalError; it is the store's failure. */
  private TierException mappedFileFailure(InternalError e) {
    return new TierException("MapDB could not write its memory-mapped file " + db + " (is the disk full?): "
        + e.getMessage(), e);
  }

  private TierException failure(String operation, RuntimeException e) {
    return new TierException("MapDB " + operation + " failed in " + db + ": " + e.getMessage(), e);
  }

  /** Throws unless the store is open. */
  void requireOpen() {
    if (closed) {
      throw new TierException("MapDB store " + db + " is closed", null);
    }
  }

  @Override
  public String toString() {
    return "MapDB store " + db;
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return map.get(key);
    } catch (DBException e) {
      throw failure("get", e);
    }
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    List<byte[]> records = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      records.add(map.get(key));
    }
    return records;
  }

  @Override
  public void put(byte[] key, byte[] record) {
    try {
      map.put(key, record);
      if (commitEachWrite) {
        db.commit();
      }
    } catch (DBException e) {
      throw failure("put", e);
    } catch (InternalError e) {
      throw mappedFileFailure(e);
    }
  }

  @Override
  public int swap(byte[] key, byte[] record) {
    try {
      byte[] previous = map.put(key, record);
      if (commitEachWrite) {
        db.commit();
      }
      return previous == null ? -1 : previous.length;
    } catch (DBException e) {
      throw failure("put", e);
    } catch (InternalError e) {
      throw mappedFileFailure(e);
    }
  }

  @Override
  public void delete(byte[] key) {
    try {
      map.remove(key);
      if (commitEachWrite) {
        db.commit();
      }
    } catch (DBException e) {
      throw failure("delete", e);
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    return map.entrySet().iterator();
  }

  @Override
  public void clear() {
    map.clear();
    if (commitEachWrite) {
      db.commit();
    }
  }

  @Override
  public java.nio.file.Path location() {
    return location;
  }

  @Override
  public Object engine() {
    return map;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (commitEachWrite) {
        db.commit();
      }
      db.close();
    }
  }
}
