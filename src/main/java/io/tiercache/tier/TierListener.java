package io.tiercache.tier;

/**
 * Told by a tier when it drops a mapping on its own (capacity eviction or expiry reclamation), so that the
 * cache above can count evictions and publish expiry events. It is called while the tier still holds its
 * per-key lock, so an implementation must only record or enqueue, never call back into the tier.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface TierListener<K> {

  /** A listener that ignores everything. */
  TierListener<Object> NONE = (key, envelope, cause) -> { };

  /**
   * Called once for every mapping the tier removed by itself.
   *
   * @param key the key of the dropped mapping
   * @param envelope the dropped record
   * @param cause why it was dropped
   */
  void onRemoval(K key, Envelope envelope, RemovalCause cause);

  /**
   * Called for a change another process committed to a tier that several processes share (Redis), after
   * it committed: on a thread of the tier's own, in the order the changes were committed, never inside an
   * operation of this process. The default ignores it.
   *
   * @param key the changed key
   * @param old the record it replaced, possibly expired, or null when the key was absent
   * @param current the record now stored, or null when the change removed the key
   * @param atMillis when the change was made, by the changing process's clock
   */
  default void onRemoteChange(K key, Envelope old, Envelope current, long atMillis) {
  }

  /**
   * Returns true while someone listens for what this listener is told, so a tier may skip work done only to
   * tell it (the Redis tier's sweep for expired entries nobody reads). The default says no.
   */
  default boolean listening() {
    return false;
  }
}
