package io.tiercache.tier.rocksdb;

import io.tiercache.tier.TierException;
import io.tiercache.tier.serialized.ByteStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * One cache's column family as a {@link ByteStore}. Iteration reads in small batches, each with its own
 * short-lived native iterator, so an iterator the application abandons holds no native resources.
 */
final class RocksDbStore implements ByteStore {

  private static final int BATCH = 256;
  private static final byte[] NO_BYTES = new byte[0];

  private final RocksDbEnvironment environment;
  private final RocksDB db;
  private final ColumnFamilyHandle family;
  private final String name;
  private final WriteOptions writeOptions;
  /** Operations hold it shared; close holds it exclusively, so no native call ever runs on a closed handle. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  RocksDbStore(RocksDbEnvironment environment, String familyName, boolean sync) {
    this.environment = environment;
    this.db = environment.db();
    this.family = environment.family(familyName);
    this.name = "rocksdb:" + environment.directory() + "#" + familyName;
    this.writeOptions = RocksDbEnvironment.writeOptions(sync);
  }

  /** Returns the store's name for messages: the directory and the column family. */
  String name() {
    return name;
  }

  private void enter() {
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new TierException("The RocksDB tier " + name + " is closed", null);
    }
  }

  private void exit() {
    lifecycle.readLock().unlock();
  }

  private RuntimeException failure(String operation, RocksDBException e) {
    return new TierException("RocksDB " + operation + " failed in " + name + ": " + e.getMessage(), e);
  }

  @Override
  public byte[] get(byte[] key) {
    enter();
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw failure("get", e);
    } finally {
      exit();
    }
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    enter();
    try {
      return db.multiGetAsList(Collections.nCopies(keys.size(), family), keys);
    } catch (RocksDBException e) {
      throw failure("multiGet", e);
    } finally {
      exit();
    }
  }

  @Override
  public void put(byte[] key, byte[] record) {
    enter();
    try {
      db.put(family, writeOptions, key, record);
    } catch (RocksDBException e) {
      throw failure("put", e);
    } finally {
      exit();
    }
  }

  @Override
  public int swap(byte[] key, byte[] record) {
    enter();
    try {
      // only the old record's length is needed: a zero-length buffer gets it without copying the value out
      int previous = db.get(family, key, NO_BYTES);
      db.put(family, writeOptions, key, record);
      return previous == RocksDB.NOT_FOUND ? -1 : previous;
    } catch (RocksDBException e) {
      throw failure("put", e);
    } finally {
      exit();
    }
  }

  @Override
  public void delete(byte[] key) {
    enter();
    try {
      db.delete(family, writeOptions, key);
    } catch (RocksDBException e) {
      throw failure("delete", e);
    } finally {
      exit();
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    return new BatchIterator(startHint);
  }

  @Override
  public void clear() {
    enter();
    try {
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
      db.deleteRange(family, writeOptions, first, last);
      db.delete(family, writeOptions, last); // deleteRange excludes its end key
    } catch (RocksDBException e) {
      throw failure("clear", e);
    } finally {
      exit();
    }
  }

  @Override
  public java.nio.file.Path location() {
    return environment.directory();
  }

  @Override
  public Object engine() {
    return db;
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    writeOptions.close();
    environment.release();
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
      List<Map.Entry<byte[], byte[]>> batch = new ArrayList<>(BATCH);
      boolean reachedEnd;
      enter();
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
        if (!iterator.isValid()) {
          iterator.status(); // an iterator stops at a damaged block: that must fail, not pass for the end
        }
        reachedEnd = !iterator.isValid()
            || (wrapped && start != null && Arrays.compareUnsigned(iterator.key(), start) >= 0);
      } catch (RocksDBException e) {
        throw failure("iteration", e);
      } finally {
        exit();
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
