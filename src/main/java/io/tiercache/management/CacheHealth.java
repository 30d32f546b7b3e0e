package io.tiercache.management;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a cache runs with every tier it was configured with, and each tier's figures: what it holds, the
 * lookups it answered and missed, what it evicted, reclaimed and dropped. The view operators need to tell a
 * cache that persists from one that quietly does not, and to see which tier serves the reads. Obtained from
 * any tiercache cache, single-tier or composite, with {@code cache.unwrap(CacheHealth.class)} (a snapshot
 * taken at that moment); published over JMX as {@code io.tiercache:type=CacheHealth,CacheManager=<uri>,
 * Cache=<name>} ({@link CacheHealthMXBean}) and to Micrometer by {@code io.tiercache.metrics.TierMetricsBinder}.
 * The counters start at zero when the cache is opened and are always kept, whatever JCache's statistics
 * setting says.
 *
 * @param cache the cache's name
 * @param tiers one entry per configured tier, in probe order, running or not
 */
public record CacheHealth(String cache, List<TierHealth> tiers) {

  /** The overall state of a cache. */
  public enum Status {
    /** Every configured tier runs and reports no problem. */
    HEALTHY,
    /** A configured tier did not start, or a running tier reports a problem (a full disk, say). */
    DEGRADED
  }

  /**
   * One tier of a cache.
   *
   * @param name the tier's name ({@code heap}, {@code mapdb}, {@code rocksdb})
   * @param running false when the tier could not start: its entries go to the other tiers
   * @param problem why it did not start, or what it currently fails at; null when there is nothing to report
   * @param entries the entries it holds (0 when not running)
   * @param bytes the serialized bytes of its records; -1 for the heap, which keeps objects
   * @param hits lookups this tier answered since the cache was opened: in a composite, the lookups that found
   *     their key in this tier; in a single-tier cache, the lookups that found a live entry
   * @param misses lookups that reached this tier and did not find their key in it: in a composite, a lookup
   *     that misses the heap and hits the disk counts a miss for the heap and a hit for the disk
   * @param evictions entries this tier dropped on its own to stay within its bound
   * @param expirations expired entries this tier reclaimed on its own (expired entries a read meets are
   *     removed by the cache and counted by JCache's statistics, not here)
   * @param dropped records dropped as damaged or undecodable since the cache was opened, each read as a miss
   * @param promotions copies of hot entries this tier took in (the heap under the adaptive strategy; else 0)
   * @param demotions copies this tier dropped as their entries cooled down; the entries stay in their home tier
   */
  public record TierHealth(String name, boolean running, String problem, long entries, long bytes, long hits,
      long misses, long evictions, long expirations, long dropped, long promotions, long demotions) {

    /** Returns hits / (hits + misses), or NaN before the first lookup reached this tier. */
    public double hitRatio() {
      long lookups = hits + misses;
      return lookups == 0 ? Double.NaN : (double) hits / lookups;
    }
  }

  /** Creates a snapshot; the list is copied. */
  public CacheHealth {
    tiers = List.copyOf(tiers);
  }

  /** Returns {@link Status#DEGRADED} when any tier is not running or reports a problem. */
  public Status status() {
    return tiers.stream().allMatch(t -> t.running() && t.problem() == null) ? Status.HEALTHY : Status.DEGRADED;
  }

  /** Returns the records dropped by all tiers together. */
  public long dropped() {
    return tiers.stream().mapToLong(TierHealth::dropped).sum();
  }

  /**
   * Returns one line per tier for logs and consoles, such as
   * {@code rocksdb: running, 120 entries, 98 hits, 22 misses, 0 evicted, 0 expired, 0 dropped}.
   */
  public String describe() {
    return tiers.stream().map(t -> t.name() + ": "
        + (t.running() ? "running, " + t.entries() + " entries, " + t.hits() + " hits, " + t.misses()
            + " misses, " + t.evictions() + " evicted, " + t.expirations() + " expired, " + t.dropped()
            + " dropped" + (t.promotions() + t.demotions() == 0 ? "" : ", " + t.promotions() + " promoted, "
            + t.demotions() + " demoted") : "NOT RUNNING")
        + (t.problem() == null ? "" : " (" + t.problem() + ")"))
        .collect(Collectors.joining("\n"));
  }
}
