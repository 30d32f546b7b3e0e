package io.tiercache.tier.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.tier.Envelope;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The records of a Redis tier this process read recently, kept decoded on the heap so that a hit costs no
 * round trip and no deserialization. It is only as good as its invalidations, so it follows three rules:
 *
 * <ul>
 *   <li>A record read from Redis is kept only if no invalidation of its key (nor a flush) arrived between the
 *       moment the read was sent and the moment it is kept: each key falls in a stripe whose counter every
 *       invalidation raises, the read takes the counter before it is sent ({@link #stamp}), and
 *       {@link #offer} puts the record in first and takes it out again if the counter moved. An invalidation
 *       raises the counter before it removes, so whichever order the two threads run in, a stale record
 *       never stays. The check and the store are one atomic step on the key.</li>
 *   <li>While invalidations cannot arrive (tracking is down, or not yet confirmed after a reconnect) nothing
 *       is kept and nothing is served: {@link #setLive}.</li>
 *   <li>This process's own writes remove the key, and no read of its stripe is kept while one is under way
 *       ({@link #beginWrite}, {@link #endWrite}): a thread of this process never sees a value older than one
 *       another thread of it saw, nor than its own last write.</li>
 * </ul>
 *
 * @param <K> the key type
 */
final class NearCache<K> {

  private static final int STRIPES = 4096;

  private final Cache<K, Envelope> entries;
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
  private final java.util.concurrent.atomic.AtomicIntegerArray writing =
      new java.util.concurrent.atomic.AtomicIntegerArray(STRIPES);
  private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();
  private volatile boolean live;

  /** @param maximumEntries how many records it keeps at most */
  NearCache(long maximumEntries) {
    this.entries = Caffeine.newBuilder().maximumSize(maximumEntries).build();
  }

  /** Returns the record kept for {@code key}, or null. */
  Envelope get(K key) {
    Envelope kept = live ? entries.getIfPresent(key) : null;
    if (kept != null) {
      hits.increment();
    } else {
      misses.increment();
    }
    return kept;
  }

  /** Returns how many reads it answered. */
  long hits() {
    return hits.sum();
  }

  /** Returns how many reads it could not answer. */
  long misses() {
    return misses.sum();
  }

  /**
   * Returns the stamp a read of {@code key} takes before it is sent, or -1 while this process is writing a key
   * of the same stripe (what such a read returns may be overtaken by the write at any moment).
   */
  long stamp(K key) {
    int stripe = stripe(key);
    return writing.get(stripe) > 0 ? -1 : stripes.get(stripe);
  }

  /**
   * Keeps {@code envelope}, read after {@link #stamp} returned {@code stamp}, unless an invalidation or a write
   * of this process touched its stripe since; checked and stored in one atomic step on the key.
   */
  void offer(K key, long stamp, Envelope envelope) {
    if (stamp < 0 || !live) {
      return;
    }
    int stripe = stripe(key);
    // The stamp moves on with every record kept. Of two reads that took the same stamp, the first to arrive
    // is kept and the second removes it again (before its caller sees its own, possibly newer, value): so a
    // value read before another thread's newer read returned can never be served after it.
    entries.asMap().compute(key, (k, kept) ->
        live && writing.get(stripe) == 0 && stripes.compareAndSet(stripe, stamp, stamp + 1) ? envelope : null);
  }

  /** Forgets {@code key}: Redis changed it. */
  void invalidate(K key) {
    stripes.incrementAndGet(stripe(key));
    entries.invalidate(key);
  }

  /**
   * Forgets {@code key} as this process starts changing it; until {@link #endWrite}, no read of its stripe is
   * kept, so a value read before the change commits cannot be kept after it.
   */
  void beginWrite(K key) {
    int stripe = stripe(key);
    writing.incrementAndGet(stripe);
    stripes.incrementAndGet(stripe);
    entries.invalidate(key);
  }

  /** Ends what {@link #beginWrite} began, whether the change committed or not. */
  void endWrite(K key) {
    int stripe = stripe(key);
    stripes.incrementAndGet(stripe);
    entries.invalidate(key);
    writing.decrementAndGet(stripe);
  }

  /** Forgets everything: Redis was flushed, or invalidations may have been missed. */
  void invalidateAll() {
    for (int i = 0; i < STRIPES; i++) {
      stripes.incrementAndGet(i);
    }
    entries.invalidateAll();
  }

  /**
   * Turns serving on once invalidations are known to arrive, or off (forgetting everything) when they may
   * not.
   */
  void setLive(boolean arriving) {
    if (!arriving) {
      live = false;
      invalidateAll();
    } else {
      invalidateAll(); // what was missed while down is forgotten before anything is served again
      live = true;
    }
  }

  /** Returns true while records are served. */
  boolean isLive() {
    return live;
  }

  /** Returns how many records it keeps. */
  long size() {
    return entries.estimatedSize();
  }

  private static int stripe(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    h ^= h >>> 16;
    return h & (STRIPES - 1);
  }
}
