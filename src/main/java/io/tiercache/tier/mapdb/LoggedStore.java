package io.tiercache.tier.mapdb;

import io.tiercache.tier.serialized.ByteStore;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MapDB store whose every change is first appended to a {@link RedoLog}, so that a crash loses no
 * acknowledged write: the mapped file is only a fast index of what the log says, rebuilt from it when a crash
 * left the file inconsistent.
 *
 * <p>Compaction keeps the log near the size of the live data: once it has grown past twice what it held after
 * the last compaction (and past {@link #MIN_COMPACTION_BYTES}), writes pause while the live records are written
 * to a new generation and the older ones are deleted. A crash during compaction leaves both, and a replay of
 * both in order gives the same state.
 */
final class LoggedStore implements ByteStore {

  private static final Logger LOG = LoggerFactory.getLogger(LoggedStore.class);
  static final long MIN_COMPACTION_BYTES = 64L << 20;

  private final MapDbStore inner;
  private final RedoLog log;
  private final long minimumCompactionBytes;
  // writers share it, since the log and the engine order writers of one key themselves; compaction and clear
  // take it alone, so that no write falls between copying the live records and dropping the old generations
  private final ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock();
  private volatile long compactAt;

  LoggedStore(MapDbStore inner, RedoLog log, long minimumCompactionBytes) {
    this.inner = inner;
    this.log = log;
    this.minimumCompactionBytes = minimumCompactionBytes;
    this.compactAt = Math.max(minimumCompactionBytes, 2 * log.bytes());
  }

  @Override
  public byte[] get(byte[] key) {
    return inner.get(key);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    return inner.getAll(keys);
  }

  @Override
  public void put(byte[] key, byte[] record) {
    swap(key, record);
  }

  @Override
  public int swap(byte[] key, byte[] record) {
    int previous;
    exclusive.readLock().lock();
    try {
      inner.requireOpen(); // an entry logged for a store that cannot take it would come back after a crash
      log.append(RedoLog.PUT, key, record);
      try {
        previous = inner.swap(key, record);
      } catch (RuntimeException failed) {
        throw restoreLog(key, failed);
      }
    } finally {
      exclusive.readLock().unlock();
    }
    compactIfDue();
    return previous;
  }

  @Override
  public void delete(byte[] key) {
    exclusive.readLock().lock();
    try {
      inner.requireOpen();
      log.append(RedoLog.DELETE, key, null);
      try {
        inner.delete(key);
      } catch (RuntimeException failed) {
        throw restoreLog(key, failed);
      }
    } finally {
      exclusive.readLock().unlock();
    }
    compactIfDue();
  }

  /**
   * The engine refused a change the log already holds (its mapped file could not grow, say): logs what the
   * engine still has for the key, so that a replay after a crash does not bring back a write that failed.
   */
  private RuntimeException restoreLog(byte[] key, RuntimeException failure) {
    try {
      byte[] current = inner.get(key);
      log.append(current == null ? RedoLog.DELETE : RedoLog.PUT, key, current);
    } catch (RuntimeException alsoFailed) {
      LOG.warn("{} refused a write and its log could not be set straight ({}); after a crash the failed write"
          + " may reappear", inner, alsoFailed.toString());
    }
    return failure;
  }

  /**
   * The mapped file holds a damaged record, but the log still has the sound one: remove the record from the file
   * only, without logging a deletion, and have the next open rebuild the file from the log.
   */
  @Override
  public void deleteDamaged(byte[] key) {
    exclusive.readLock().lock();
    try {
      inner.requireOpen();
      log.markForRebuild();
      inner.delete(key);
    } finally {
      exclusive.readLock().unlock();
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    return inner.iterator(startHint);
  }

  /** Empties the log first: a crash right after leaves an empty log, and the store replays as empty. */
  @Override
  public void clear() {
    exclusive.writeLock().lock();
    try {
      log.dropBefore(log.roll());
      inner.clear();
      compactAt = minimumCompactionBytes;
    } finally {
      exclusive.writeLock().unlock();
    }
  }

  private void compactIfDue() {
    if (log.bytes() < compactAt || !exclusive.writeLock().tryLock()) {
      return; // not due, or another thread is compacting or clearing
    }
    try {
      if (log.bytes() < compactAt) {
        return;
      }
      long before = log.bytes();
      long generation = log.roll();
      log.appendAll(inner.iterator(null));
      log.dropBefore(generation);
      compactAt = Math.max(minimumCompactionBytes, 2 * log.bytes());
      LOG.debug("Compacted the MapDB log of {}: {} bytes to {}", inner, before, log.bytes());
    } catch (RuntimeException e) {
      // the write that triggered this is durable already and must not fail; the old generations stay, and a
      // replay of them and of the partial new one still gives the current state
      compactAt = 2 * log.bytes();
      LOG.warn("Could not compact the MapDB log of {} (it keeps growing until a later attempt succeeds): {}",
          inner, e.toString());
    } finally {
      exclusive.writeLock().unlock();
    }
  }

  /** Returns the bytes of the log, all generations together. */
  long logBytes() {
    return log.bytes();
  }

  @Override
  public java.nio.file.Path location() {
    return inner.location();
  }

  @Override
  public Object engine() {
    return inner.engine();
  }

  /** Closes the mapped file cleanly (so the next open need not replay) and then the log, which is kept. */
  @Override
  public void close() {
    exclusive.writeLock().lock(); // no write is between its log entry and the engine while both close
    try {
      inner.close();
    } finally {
      log.close();
      exclusive.writeLock().unlock();
    }
  }
}
