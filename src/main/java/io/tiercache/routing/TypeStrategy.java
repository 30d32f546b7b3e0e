package io.tiercache.routing;

/**
 * Decides which tier an entry lives in. A cache asks on every write; the entry moves atomically when the
 * answer changes. Implementations are thread-safe and fast: they run on every put.
 *
 * <p>If the strategy answers a tier the cache does not have, the cache uses the configured tier closest to
 * it in {@link TierNames#ALL} order, preferring the larger one.
 */
public interface TypeStrategy {

  /**
   * Returns the name of the tier ({@link TierNames}) for an entry.
   *
   * @param key the entry's key
   * @param value the entry's value; null only when {@link #routesByKeyOnly()} is true and the cache is
   *     locating a key for a read or a removal
   * @param context the cache's tiers and a size measure
   */
  String route(Object key, Object value, RoutingContext context);

  /**
   * Returns true when {@link #route} depends on the key alone. Then reads and removals go straight to the one
   * tier the key belongs in, and entries never move.
   */
  default boolean routesByKeyOnly() {
    return false;
  }

  /**
   * Returns how many bytes of heap a composite may spend on copies of its most-read entries whose home is a
   * byte-storing tier, or 0 for none (the default). The copies sit in front of the tiers, admitted by access
   * frequency per byte and dropped as entries cool down; the entries stay in their home tier, so copies never put a
   * write at risk. They need a heap tier first in the layout, which then holds them.
   */
  default long hotCopyBudgetBytes() {
    return 0;
  }

  /**
   * Returns how many bytes the MapDB tier may hold before a composite moves its least-read entries down to the
   * RocksDB tier (crash-safely, as any move between tiers), or 0 for no such limit (the default). Needs both
   * tiers in the layout; MapDB's own capacity bound, if any, still evicts beyond it.
   */
  default long warmBudgetBytes() {
    return 0;
  }

  /** Returns the largest serialized size copied to the heap under {@link #hotCopyBudgetBytes}. */
  default long hotCopyMaxBytes() {
    return hotCopyBudgetBytes();
  }
}
