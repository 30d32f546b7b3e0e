package io.tiercache.management;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a cache runs with every tier it was configured with, and what each tier holds and has dropped: the
 * view operators need to tell a cache that persists from one that quietly does not. Obtained from any
 * tiercache cache with {@code cache.unwrap(CacheHealth.class)} (a snapshot taken at that moment) and
 * published over JMX as {@code io.tiercache:type=CacheHealth,CacheManager=<uri>,Cache=<name>}.
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
   * @param dropped records dropped as damaged or undecodable since the cache was opened, each read as a miss
   */
  public record TierHealth(String name, boolean running, String problem, long entries, long bytes,
      long dropped) { }

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

  /** Returns one line per tier for logs and consoles, such as {@code rocksdb: running, 120 entries, 0 dropped}. */
  public String describe() {
    return tiers.stream().map(t -> t.name() + ": "
        + (t.running() ? "running, " + t.entries() + " entries, " + t.dropped() + " dropped" : "NOT RUNNING")
        + (t.problem() == null ? "" : " (" + t.problem() + ")"))
        .collect(Collectors.joining("\n"));
  }
}
