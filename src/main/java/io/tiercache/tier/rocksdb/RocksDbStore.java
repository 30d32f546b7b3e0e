package io.tiercache.tier.rocksdb;

import io.tiercache.tier.ByteStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One cache's column family as a {@link ByteStore}. Iteration reads in small batches, each with its own
 * short-lived native iterator, so an iterator the application abandons holds no native resources.
 */
final class RocksDbStore implements ByteStore {

  private static final int BATCH = 256;

  private final RocksDbEnvironment environment;
  private final RocksDB db;
  private final ColumnFamilyHandle family;
  private final String name;
  private volatile boolean closed;

  RocksDbStore(RocksDbEnvironment environment, String familyName) {
    this.environment = environment;
    this.db = environment.db();
    this.family = environment.family(familyName);
    this.name = "rocksdb:" + environment.directory() + "#" + familyName;
  }

  private RuntimeException failure(String operation, RocksDBException e) {
    return new javax.cache.CacheException("RocksDB " + operation + " failed in " + name + ": " + e.getMessage(), e);
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw failure("get", e);
    }
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    try {
      return db.multiGetAsList(Collections.nCopies(keys.size(), family), keys);
    } catch (RocksDBException e) {
      throw failure("multiGet", e);
    }
  }

  @Override
  public void put(byte[] key, byte[] record) {
    try {
      db.put(family, environment.writeOptions(), key, record);
    } catch (RocksDBException e) {
      throw failure("put", e);
    }
  }

  @Override
  public void delete(byte[] key) {
    try {
      db.delete(family, environment.writeOptions(), key);
    } catch (RocksDBException e) {
      throw failure("delete", e);
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    return new BatchIterator(startHint);
  }

  @Override
  public void clear() {
    byte[] first;
    byte[] last;
    try (RocksIterator iterator = db.newIterator(family)) {
      iterator.seekToFirst();
      if (!iterator.isValid()) {
        return;
      }
      first = iterator.key();
      iterator.seekToLast();
      last = iterator.key();
    }
    try {
      db.deleteRange(family, environment.writeOptions(), first, last);
      db.delete(family, environment.writeOptions(), last); // deleteRange excludes its end key
    } catch (RocksDBException e) {
      throw failure("clear", e);
    }
  }

  @Override
  public Object engine() {
    return db;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      environment.release();
    }
  }

  /** Reads BATCH records at a time; wraps around once when it started from a hint. */
  private final class BatchIterator implements Iterator<Map.Entry<byte[], byte[]>> {
    private final byte[] start;
    private final ArrayDeque<Map.Entry<byte[], byte[]>> buffer = new ArrayDeque<>();
    private byte[] resumeAfter;
    private boolean wrapped;
    private boolean exhausted;

    BatchIterator(byte[] start) {
      this.start = start;
      this.wrapped = start == null;
    }

    @Override
    public boolean hasNext() {
      while (buffer.isEmpty() && !exhausted) {
        fill();
      }
      return !buffer.isEmpty();
    }

    private void fill() {
      if (closed) {
        throw new IllegalStateException("The RocksDB tier " + name + " is closed");
      }
      List<Map.Entry<byte[], byte[]>> batch = new ArrayList<>(BATCH);
      boolean reachedEnd;
      try (RocksIterator iterator = db.newIterator(family)) {
        if (resumeAfter != null) {
          iterator.seek(resumeAfter);
          if (iterator.isValid() && Arrays.equals(iterator.key(), resumeAfter)) {
            iterator.next();
          }
        } else if (!wrapped && start != null) {
          iterator.seek(start);
        } else {
          iterator.seekToFirst();
        }
        while (iterator.isValid() && batch.size() < BATCH) {
          byte[] key = iterator.key();
          if (wrapped && start != null && Arrays.compareUnsigned(key, start) >= 0) {
            break; // came round to where it began
          }
          batch.add(Map.entry(key, iterator.value()));
          iterator.next();
        }
        reachedEnd = !iterator.isValid()
            || (wrapped && start != null && Arrays.compareUnsigned(iterator.key(), start) >= 0);
      }
      buffer.addAll(batch);
      if (!batch.isEmpty()) {
        resumeAfter = batch.get(batch.size() - 1).getKey();
      }
      if (reachedEnd || batch.size() < BATCH) {
        if (!wrapped) {
          wrapped = true;
          resumeAfter = null;
        } else {
          exhausted = true;
        }
      }
    }

    @Override
    public Map.Entry<byte[], byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.poll();
    }
  }
}
