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
}
