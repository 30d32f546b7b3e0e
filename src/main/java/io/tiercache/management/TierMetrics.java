package io.tiercache.management;

import java.beans.ConstructorProperties;

/**
 * One tier's figures as JMX publishes them: the {@link CacheHealth.TierHealth} of a tier in the bean form an
 * MXBean maps to {@code CompositeData}, so JConsole, a JMX exporter or {@code tiercache stats} can read it
 * without tiercache's classes, and {@code JMX.newMXBeanProxy} can rebuild it with them.
 */
public final class TierMetrics {

  private final String name;
  private final boolean running;
  private final String problem;
  private final long entries;
  private final long bytes;
  private final long hits;
  private final long misses;
  private final long evictions;
  private final long expirations;
  private final long droppedRecords;
  private final long promotions;
  private final long demotions;

  /** Creates the figures; the parameter names are those of the getters, for JMX's reconstruction. */
  @ConstructorProperties({"name", "running", "problem", "entries", "bytes", "hits", "misses", "evictions",
      "expirations", "droppedRecords", "promotions", "demotions"})
  public TierMetrics(String name, boolean running, String problem, long entries, long bytes, long hits,
      long misses, long evictions, long expirations, long droppedRecords, long promotions, long demotions) {
    this.name = name;
    this.running = running;
    this.problem = problem;
    this.entries = entries;
    this.bytes = bytes;
    this.hits = hits;
    this.misses = misses;
    this.evictions = evictions;
    this.expirations = expirations;
    this.droppedRecords = droppedRecords;
    this.promotions = promotions;
    this.demotions = demotions;
  }

  /** Returns the figures of {@code tier}. */
  public static TierMetrics of(CacheHealth.TierHealth tier) {
    return new TierMetrics(tier.name(), tier.running(), tier.problem(), tier.entries(), tier.bytes(), tier.hits(),
        tier.misses(), tier.evictions(), tier.expirations(), tier.dropped(), tier.promotions(), tier.demotions());
  }

  /** Returns the tier's name, such as {@code heap} or {@code rocksdb}. */
  public String getName() {
    return name;
  }

  /** Returns false when the tier could not start. */
  public boolean isRunning() {
    return running;
  }

  /** Returns what the tier fails at, or null. */
  public String getProblem() {
    return problem;
  }

  /** Returns the entries the tier holds. */
  public long getEntries() {
    return entries;
  }

  /** Returns the serialized bytes of the tier's records, or -1 for the heap. */
  public long getBytes() {
    return bytes;
  }

  /** Returns the lookups the tier answered. */
  public long getHits() {
    return hits;
  }

  /** Returns the lookups that reached the tier and missed. */
  public long getMisses() {
    return misses;
  }

  /** Returns the entries the tier evicted to stay within its bound. */
  public long getEvictions() {
    return evictions;
  }

  /** Returns the expired entries the tier reclaimed on its own. */
  public long getExpirations() {
    return expirations;
  }

  /** Returns the records dropped as damaged or undecodable. */
  public long getDroppedRecords() {
    return droppedRecords;
  }

  /** Returns the copies of hot entries the tier took in (the heap under the adaptive strategy; else 0). */
  public long getPromotions() {
    return promotions;
  }

  /** Returns the copies the tier dropped as their entries cooled down (their home tier still holds them). */
  public long getDemotions() {
    return demotions;
  }
}
