package io.tiercache.tier.serialized;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a byte-oriented engine (MapDB, RocksDB) provides to {@link SerializedTier}: a map from key bytes to
 * record bytes. Single-key reads and writes must be atomic; the tier adds per-key locking on top.
 */
public interface ByteStore extends AutoCloseable {

  /** Returns the record stored under {@code key}, or null. */
  byte[] get(byte[] key);

  /** Returns the records of {@code keys}, in the same order, null where absent; one batch where possible. */
  List<byte[]> getAll(List<byte[]> keys);

  /** Stores a record, durably as the engine's configuration says. */
  void put(byte[] key, byte[] record);

  /**
   * Stores a record and returns the length of the one it replaced, or -1 when there was none: in one engine
   * call where the engine's write returns the previous value (MapDB), otherwise with a read that fetches no
   * more of the old record than its length.
   */
  int swap(byte[] key, byte[] record);

  /** Deletes a record; absent keys are ignored. */
  void delete(byte[] key);

  /**
   * Deletes a record found damaged (its checksum failed). The default deletes it like any record; a store that
   * keeps a sound copy elsewhere (MapDB's redo log) removes only the damaged one and restores the sound copy
   * when it next opens.
   */
  default void deleteDamaged(byte[] key) {
    delete(key);
  }

  /**
   * Iterates the mappings, weakly consistent. {@code startHint} suggests where to begin (an engine with ordered
   * keys seeks there and wraps around); engines without order ignore it.
   */
  Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint);

  /** Deletes every record. */
  void clear();

  /**
   * Returns the directory the store's files live in, so that writes can be refused before its file system is
   * full; null for a store in memory.
   */
  default java.nio.file.Path location() {
    return null;
  }

  /** Returns the engine object, for unwrapping. */
  Object engine();

  /** Releases the store; calling it twice is harmless. */
  @Override
  void close();
}
