package io.tiercache.management;

/**
 * The JMX view of a cache's {@link CacheHealth}, registered for every tiercache cache (management enabled or
 * not) as {@code io.tiercache:type=CacheHealth,CacheManager=<uri>,Cache=<name>}: its state and each tier's
 * figures.
 */
public interface CacheHealthMXBean {

  /** Returns {@code HEALTHY} or {@code DEGRADED}. */
  String getStatus();

  /** Returns one line per configured tier: its state, entries, dropped records and any problem. */
  String[] getTiers();

  /** Returns the records dropped as damaged or undecodable since the cache was opened, all tiers together. */
  long getDroppedRecords();

  /** Returns each configured tier's figures, in probe order (a {@code CompositeData[]} to JMX clients). */
  TierMetrics[] getTierMetrics();
}
