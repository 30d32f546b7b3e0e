package io.tiercache;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.TierListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one cache that JCache's statistics do not keep, kept always (JCache's are off by default):
 * the lookups the cache served and missed, and per tier what the tier evicted or reclaimed on its own. A
 * composite counts its own per-tier hits and misses; these lookups are a single-tier cache's per-tier figures.
 */
final class TierMeters {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final Map<String, Removals> removals = new ConcurrentHashMap<>();

  /** What one tier dropped by itself. */
  private static final class Removals {
    final LongAdder evictions = new LongAdder();
    final LongAdder expirations = new LongAdder();
  }

  /** Counts lookups that found a live entry. */
  void hits(long count) {
    hits.add(count);
  }

  /** Counts lookups that found nothing live. */
  void misses(long count) {
    misses.add(count);
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long evictions(String tier) {
    Removals counted = removals.get(tier);
    return counted == null ? 0 : counted.evictions.sum();
  }

  long expirations(String tier) {
    Removals counted = removals.get(tier);
    return counted == null ? 0 : counted.expirations.sum();
  }

  /**
   * Returns a listener for the tier named {@code tier} that counts its removals, then passes everything on
   * to {@code next}: the tiers of a composite share one cache listener, which cannot tell them apart.
   */
  <K> TierListener<K> counting(String tier, TierListener<K> next) {
    Removals counted = removals.computeIfAbsent(tier, name -> new Removals());
    return new TierListener<>() {
      @Override
      public void onRemoval(K key, Envelope envelope, RemovalCause cause) {
        (cause == RemovalCause.CAPACITY ? counted.evictions : counted.expirations).increment();
        next.onRemoval(key, envelope, cause);
      }

      @Override
      public void onRemoteChange(K key, Envelope old, Envelope current, long atMillis) {
        next.onRemoteChange(key, old, current, atMillis);
      }

      @Override
      public boolean listening() {
        return next.listening();
      }
    };
  }
}
