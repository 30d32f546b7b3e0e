package io.tiercache.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tiercache.management.CacheHealth;
import io.tiercache.management.CacheHealth.TierHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * Publishes each tier of a tiercache cache to Micrometer, tagged {@code cache} and {@code tier} (plus any
 * tags given): the figures of {@link CacheHealth}.
 *
 * <pre>
 *   tiercache.tier.entries       gauge     entries the tier holds
 *   tiercache.tier.bytes         gauge     serialized bytes of its records (not published for the heap)
 *   tiercache.tier.running       gauge     1 when the tier runs without a problem, else 0
 *   tiercache.tier.hits          counter   lookups the tier answered
 *   tiercache.tier.misses        counter   lookups that reached the tier and missed
 *   tiercache.tier.evictions     counter   entries it evicted to stay within its bound
 *   tiercache.tier.expirations   counter   expired entries it reclaimed on its own
 *   tiercache.tier.dropped       counter   records dropped as damaged or undecodable
 *   tiercache.tier.promotions    counter   copies of hot entries taken in (the heap, adaptive strategy)
 *   tiercache.tier.demotions     counter   copies dropped as their entries cooled down
 * </pre>
 *
 * Bind it like any binder: {@code new TierMetricsBinder(cache).bindTo(registry)}, or
 * {@link #forAllCaches(CacheManager)} for every cache a manager has open. A scrape reads one snapshot per
 * cache, taken at most once a second, however many meters it reads. The meters follow the cache by its
 * manager and name: while it is closed (or its manager is) the gauges read NaN and the counters keep their
 * last value; a cache created again under the name is followed. The meters hold the manager weakly, so they
 * never keep an undeployed application's classes alive.
 */
public final class TierMetricsBinder implements MeterBinder {

  private static final long SNAPSHOT_MILLIS = 1_000;

  /** Keeps each registry's snapshot holders alive as long as the registry: function counters hold theirs weakly. */
  private static final Map<MeterRegistry, List<Object>> HELD = java.util.Collections.synchronizedMap(
      new java.util.WeakHashMap<>());

  private final Cache<?, ?> cache;
  private final Iterable<Tag> tags;

  /**
   * Binds one cache.
   *
   * @param cache a cache of the tiercache provider
   * @param tags added to every meter, besides {@code cache} and {@code tier}
   * @throws IllegalArgumentException if the cache is not a tiercache cache
   */
  public TierMetricsBinder(Cache<?, ?> cache, Tag... tags) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.tags = Tags.of(tags).and("cache", cache.getName());
    try {
      cache.unwrap(CacheHealth.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cache '" + cache.getName() + "' is not a tiercache cache ("
          + cache.getClass().getName() + "); TierMetricsBinder publishes tiercache's per-tier figures only", e);
    }
  }

  /** Returns a binder for each cache {@code manager} has open now (caches created later need their own). */
  public static MeterBinder forAllCaches(CacheManager manager, Tag... tags) {
    List<TierMetricsBinder> binders = new ArrayList<>();
    for (String name : manager.getCacheNames()) {
      Cache<?, ?> cache = manager.getCache(name);
      if (cache != null) {
        binders.add(new TierMetricsBinder(cache, tags));
      }
    }
    return registry -> binders.forEach(binder -> binder.bindTo(registry));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Snapshots snapshots = new Snapshots(cache);
    HELD.computeIfAbsent(registry, r -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(snapshots);
    for (TierHealth tier : snapshots.latest().tiers()) {
      String name = tier.name();
      Iterable<Tag> tierTags = Tags.of(tags).and("tier", name);
      gauge(registry, "tiercache.tier.entries", "entries the tier holds", tierTags, snapshots, name,
          TierHealth::entries, null);
      if (tier.bytes() >= 0) {
        gauge(registry, "tiercache.tier.bytes", "serialized bytes of the tier's records", tierTags, snapshots,
            name, TierHealth::bytes, "bytes");
      }
      Gauge.builder("tiercache.tier.running", snapshots, s -> {
        TierHealth now = s.tier(name);
        return now == null ? Double.NaN : now.running() && now.problem() == null ? 1 : 0;
      }).description("1 when the tier runs without a problem, else 0").tags(tierTags).register(registry);
      counter(registry, "tiercache.tier.hits", "lookups the tier answered", tierTags, snapshots, name,
          TierHealth::hits);
      counter(registry, "tiercache.tier.misses", "lookups that reached the tier and missed", tierTags, snapshots,
          name, TierHealth::misses);
      counter(registry, "tiercache.tier.evictions", "entries the tier evicted to stay within its bound", tierTags,
          snapshots, name, TierHealth::evictions);
      counter(registry, "tiercache.tier.expirations", "expired entries the tier reclaimed on its own", tierTags,
          snapshots, name, TierHealth::expirations);
      counter(registry, "tiercache.tier.dropped", "records dropped as damaged or undecodable", tierTags,
          snapshots, name, TierHealth::dropped);
      counter(registry, "tiercache.tier.promotions", "copies of hot entries the tier took in", tierTags,
          snapshots, name, TierHealth::promotions);
      counter(registry, "tiercache.tier.demotions", "copies the tier dropped as their entries cooled down",
          tierTags, snapshots, name, TierHealth::demotions);
    }
  }

  private static void gauge(MeterRegistry registry, String meter, String description, Iterable<Tag> tags,
      Snapshots snapshots, String tier, java.util.function.ToLongFunction<TierHealth> figure, String unit) {
    ToDoubleFunction<Snapshots> read = s -> {
      TierHealth now = s.tier(tier);
      return now == null ? Double.NaN : figure.applyAsLong(now);
    };
    Gauge.builder(meter, snapshots, read).description(description).baseUnit(unit).tags(tags).register(registry);
  }

  private static void counter(MeterRegistry registry, String meter, String description, Iterable<Tag> tags,
      Snapshots snapshots, String tier, java.util.function.ToLongFunction<TierHealth> figure) {
    FunctionCounter.builder(meter, snapshots, s -> {
      TierHealth now = s.tier(tier);
      return now == null ? s.last(tier, figure) : figure.applyAsLong(now);
    }).description(description).tags(tags).register(registry);
  }

  /**
   * The cache's latest snapshot, renewed at most once a second; null while the cache or its manager is closed.
   * The cache is looked up by its manager (held weakly) and name each time, so a cache created again under the
   * name is followed and a closed one is not kept.
   */
  private static final class Snapshots {
    private final java.lang.ref.WeakReference<CacheManager> manager;
    private final String name;
    private volatile CacheHealth latest;
    private volatile CacheHealth lastOpen;
    private volatile long takenAt;

    Snapshots(Cache<?, ?> cache) {
      this.manager = new java.lang.ref.WeakReference<>(cache.getCacheManager());
      this.name = cache.getName();
      this.latest = cache.unwrap(CacheHealth.class);
      this.lastOpen = latest;
      this.takenAt = System.currentTimeMillis();
    }

    CacheHealth latest() {
      long now = System.currentTimeMillis();
      if (now - takenAt >= SNAPSHOT_MILLIS) {
        takenAt = now;
        latest = take();
        if (latest != null) {
          lastOpen = latest;
        }
      }
      return latest;
    }

    private CacheHealth take() {
      CacheManager owner = manager.get();
      if (owner == null || owner.isClosed()) {
        return null;
      }
      try {
        // getCacheNames first: getCache would create a cache the configuration declares but nobody opened
        for (String open : owner.getCacheNames()) {
          if (open.equals(name)) {
            Cache<?, ?> cache = owner.getCache(name);
            return cache == null || cache.isClosed() ? null : cache.unwrap(CacheHealth.class);
          }
        }
        return null;
      } catch (IllegalStateException closedMeanwhile) {
        return null;
      }
    }

    TierHealth tier(String tier) {
      CacheHealth health = latest();
      return health == null ? null : find(health, tier);
    }

    /** A counter must not go back to zero when the cache closes: it keeps the last figure it read. */
    double last(String tier, java.util.function.ToLongFunction<TierHealth> figure) {
      TierHealth found = find(lastOpen, tier);
      return found == null ? 0 : figure.applyAsLong(found);
    }

    private static TierHealth find(CacheHealth health, String tier) {
      for (TierHealth candidate : health.tiers()) {
        if (candidate.name().equals(tier)) {
          return candidate;
        }
      }
      return null;
    }
  }
}
