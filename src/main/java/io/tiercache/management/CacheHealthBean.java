package io.tiercache.management;

import java.util.function.Supplier;

/** Publishes snapshots of a cache's {@link CacheHealth} over JMX. Internal: not API. */
public final class CacheHealthBean implements CacheHealthMXBean {

  private final Supplier<CacheHealth> health;

  /** @param health takes a fresh snapshot on each call */
  public CacheHealthBean(Supplier<CacheHealth> health) {
    this.health = health;
  }

  @Override
  public String getStatus() {
    return health.get().status().name();
  }

  @Override
  public String[] getTiers() {
    return health.get().describe().split("\n");
  }

  @Override
  public long getDroppedRecords() {
    return health.get().dropped();
  }

  @Override
  public TierMetrics[] getTierMetrics() {
    return health.get().tiers().stream().map(TierMetrics::of).toArray(TierMetrics[]::new);
  }
}
