package io.tiercache;

import io.tiercache.management.CacheHealth;
import io.tiercache.management.CacheHealth.TierHealth;
import io.tiercache.routing.CompositeTier;
import io.tiercache.tier.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes {@link CacheHealth} snapshots of one cache: the configured tiers in order, each either running (with
 * its figures and any problem it reports) or not started (with the reason the assembly recorded).
 */
final class HealthReport {

  private final String cacheName;
  private final List<String> configured;
  private final Map<String, String> notStarted;
  private final Map<String, Tier<?>> running = new LinkedHashMap<>();

  HealthReport(String cacheName, List<String> configured, Map<String, String> notStarted, Tier<?> tier) {
    this.cacheName = cacheName;
    this.configured = List.copyOf(configured);
    this.notStarted = Map.copyOf(notStarted);
    if (tier instanceof CompositeTier) {
      CompositeTier<?> composite = (CompositeTier<?>) tier;
      for (int i = 0; i < composite.tiers().size(); i++) {
        running.put(composite.tierNames().get(i), composite.tiers().get(i));
      }
    } else {
      running.put(tier.name(), tier);
    }
  }

  CacheHealth snapshot() {
    List<TierHealth> tiers = new ArrayList<>();
    for (String name : configured) {
      Tier<?> tier = running.get(name);
      tiers.add(tier == null
          ? new TierHealth(name, false, notStarted.getOrDefault(name, "not started"), 0, 0, 0)
          : new TierHealth(name, true, tier.problem(), tier.sizeForMonitoring(), tier.bytes(), tier.dropped()));
    }
    for (Map.Entry<String, Tier<?>> extra : running.entrySet()) {
      if (!configured.contains(extra.getKey())) { // the heap standing in for tiers that did not start
        Tier<?> tier = extra.getValue();
        tiers.add(new TierHealth(extra.getKey() + " (fallback)", true, tier.problem(), tier.sizeForMonitoring(),
            tier.bytes(), tier.dropped()));
      }
    }
    return new CacheHealth(cacheName, tiers);
  }
}
