package io.tiercache.tier;

import java.util.Iterator;
import java.util.Map;

/**
 * The storage contract every engine implements: a map from keys to {@link Envelope}s with one atomic
 * read-modify-write per key. The JCache semantics (expiry, events, loaders, writers, statistics) are written
 * once above this interface, so a tier only stores and evicts; it never interprets a value, never fires a
 * JCache event and never imports the JCache API.
 *
 * <p>Keys handed to a tier are already copied by the cache where store-by-value requires it, and are never
 * null. A tier may return expired envelopes; the cache decides what an expired record means.
 *
 * <p>Every tier passes the shared {@code TierContractTest}.
 *
 * @param <K> the key type
 */
public interface Tier<K> extends AutoCloseable {

  /** Returns a short name for logs, statistics and error messages, such as {@code heap} or {@code rocksdb}. */
  String name();

  /**
   * Returns the record of {@code key}, or null when absent. Does not change the record or its recency beyond
   * what the tier's eviction policy tracks.
   */
  Envelope get(K key);

  /**
   * Atomically replaces the record of {@code key} by what {@code remapper} returns. While the remapper runs
   * no other {@code compute} on the same key can run; reads may see the old or the new record, never a
   * partial one. A remapper that throws leaves the mapping unchanged and the exception propagates.
   *
   * @return the record now stored, or null when the key is absent afterwards
   */
  Envelope compute(K key, EnvelopeRemapper<K> remapper);

  /**
   * Prepares {@code value} for storing under {@code key}, doing once the work that depends on the value alone:
   * a tier that stores bytes serializes it (checking its classes against the allowlist), a composite chooses
   * its tier. The cache calls it before it tells a writer or a listener about a write, so a value the tier must
   * refuse is refused before any side effect; the envelope made from the result is then stored without
   * serializing or placing the value again. The default keeps the object as it is.
   *
   * @throws RuntimeException naming the problem, when the value cannot be stored
   */
  default Prepared prepare(K key, Object value) {
    return Prepared.object(value);
  }

  /**
   * Stores {@code envelope} under {@code key} whatever the key held: for writes that need neither the old value
   * nor whether there was one (a plain put on a cache without writer, listeners or expiry). A tier may store it
   * without reading the old record first. Atomic like {@link #compute}; the default is a compute.
   */
  default void put(K key, Envelope envelope) {
    compute(key, (k, current) -> envelope);
  }

  /**
   * Moves the expiry instant of the record of {@code key} if it is still {@code envelope}; a no-op when the
   * mapping has changed since. Used when an access extends or shortens an entry's lifetime.
   */
  void updateExpiry(K key, Envelope envelope, long expireAtMillis);

  /** Returns the records of those of {@code keys} that are present, in one batch where the engine has one. */
  Map<K, Envelope> getAll(Iterable<? extends K> keys);

  /**
   * Returns a weakly consistent iterator over the mappings: it never throws
   * {@link java.util.ConcurrentModificationException} and reflects some state at or after its creation.
   */
  Iterator<Map.Entry<K, Envelope>> iterator();

  /** Returns the number of mappings, expired ones included; an estimate where the engine only has one. */
  long size();

  /**
   * Returns {@link #size()}, or a recent value of it where counting is expensive (a tier in Redis scans every
   * key to count): for health reports and monitoring, which may ask often.
   */
  default long sizeForMonitoring() {
    return size();
  }

  /** Returns the bytes the tier's records take (keys and values, serialized), or -1 if it does not know. */
  default long bytes() {
    return -1;
  }

  /**
   * Returns how many records this tier dropped because they were damaged (a checksum mismatch, a truncated
   * record) or could no longer be decoded: each was a miss instead of a wrong value or an error. 0 for a tier
   * that keeps objects.
   */
  default long dropped() {
    return 0;
  }

  /**
   * Returns what this tier currently fails at (a full disk, a failed engine), in one line, or null when it
   * works. Cleared by the tier once the problem is gone.
   */
  default String problem() {
    return null;
  }

  /** Removes every mapping without notifying the {@link TierListener}. */
  void clear();

  /**
   * Destroys the key the tier's records are encrypted with, where the tier keeps it itself beside its records
   * (a shared store keeps its wrapped data key in the server), so that copies of the records made before can
   * no longer be read. Called when the cache is destroyed, after {@link #clear}. The default keeps nothing.
   *
   * @return true when there was a key to destroy
   */
  default boolean destroyKeys() {
    return false;
  }

  /**
   * Returns the engine object behind this tier if it is an instance of {@code type} (for example Caffeine's
   * {@code Cache}), or null.
   */
  <T> T unwrap(Class<T> type);

  /** Releases the tier's resources; further calls fail. Closing twice is harmless. */
  @Override
  void close();
}
