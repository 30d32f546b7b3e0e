package io.tiercache;

import io.tiercache.management.CacheHealth;
import io.tiercache.management.CacheHealth.TierHealth;
import io.tiercache.routing.CompositeTier;
import io.tiercache.routing.TierStatistics;
import io.tiercache.tier.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes {@link CacheHealth} snapshots of one cache: the configured tiers in order, each either running (with
 * its figures and any problem it reports) or not started (with the reason the assembly recorded). Lookups are
 * counted by the composite per tier, or by the cache when it has a single tier.
 */
final class HealthReport {

  private final String cacheName;
  private final List<String> configured;
  private final Map<String, String> notStarted;
  private final Map<String, Tier<?>> running = new LinkedHashMap<>();
  private final TierMeters meters;
  private final CompositeTier<?> composite; // null for a single tier

  HealthReport(String cacheName, List<String> configured, Map<String, String> notStarted, Tier<?> tier,
      TierMeters meters) {
    this.cacheName = cacheName;
    this.configured = List.copyOf(configured);
    this.notStarted = Map.copyOf(notStarted);
    this.meters = meters;
    this.composite = tier instanceof CompositeTier ? (CompositeTier<?>) tier : null;
    if (composite != null) {
      for (int i = 0; i < composite.tiers().size(); i++) {
        running.put(composite.tierNames().get(i), composite.tiers().get(i));
      }
    } else {
      running.put(tier.name(), tier);
    }
  }

  CacheHealth snapshot() {
    List<TierHealth> tiers = new ArrayList<>();
    List<TierStatistics> lookups = composite == null ? List.of() : composite.statistics();
    for (String name : configured) {
      Tier<?> tier = running.get(name);
      tiers.add(tier == null
          ? new TierHealth(name, false, notStarted.getOrDefault(name, "not started"), 0, 0, 0, 0, 0, 0, 0, 0, 0)
          : running(name, name, tier, lookups));
    }
    for (Map.Entry<String, Tier<?>> extra : running.entrySet()) {
      if (!configured.contains(extra.getKey())) { // the heap standing in for tiers that did not start
        tiers.add(running(extra.getKey() + " (fallback)", extra.getKey(), extra.getValue(), lookups));
      }
    }
    return new CacheHealth(cacheName, tiers);
  }

  private TierHealth running(String shownAs, String name, Tier<?> tier, List<TierStatistics> lookups) {
    long hits = meters.hits();
    long misses = meters.misses();
    for (TierStatistics counted : lookups) {
      if (counted.tier().equals(name)) {
        hits = counted.hits();
        misses = counted.misses();
      }
    }
    // the composite's hot copies are the heap tier's: their promotions and demotions are its own; entries
    // that cooled down from MapDB to RocksDB are MapDB's demotions
    boolean copies = composite != null && name.equals(io.tiercache.routing.TierNames.HEAP);
    boolean warm = composite != null && name.equals(io.tiercache.routing.TierNames.MAPDB);
    return new TierHealth(shownAs, true, tier.problem(), tier.sizeForMonitoring(), tier.bytes(), hits, misses,
        meters.evictions(name), meters.expirations(name), tier.dropped(), copies ? composite.promotions() : 0,
        copies ? composite.demotions() : warm ? composite.cooled() : 0);
  }
}
