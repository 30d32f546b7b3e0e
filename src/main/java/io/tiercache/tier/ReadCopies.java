package io.tiercache.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Copies on the heap of entries whose home is elsewhere, kept decoded so that a hit costs no round trip, no
 * disk read and no deserialization: the near cache of a Redis tier (bounded in entries), and the hot copies a
 * composite keeps in front of its disk tiers under the adaptive strategy (bounded in bytes, admitted by what
 * they save per byte ({@link CopyAdmission}) and dropped by Caffeine's frequency-based policy). A copy is never
 * the only one: dropping it loses nothing. It is only as good as its invalidations, so it follows three rules:
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
public final class ReadCopies<K> {

  private static final int STRIPES = 4096;

  private final Cache<K, Envelope> entries;
  private final java.util.concurrent.atomic.LongAdder kept = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
  private final java.util.concurrent.atomic.AtomicIntegerArray writing =
      new java.util.concurrent.atomic.AtomicIntegerArray(STRIPES);
  private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();
  private volatile boolean live;
  private CopyAdmission<K> admission; // set once, by ofBytes: null for copies bounded in number
  private java.util.function.ToIntFunction<Envelope> weigher; // likewise

  private ReadCopies(Caffeine<Object, Object> bound) {
    this.entries = bound.removalListener((K key, Envelope copy, RemovalCause cause) -> {
      if (cause.wasEvicted()) {
        dropped.increment();
      }
    }).build();
  }

  /** Copies bounded in number: at most {@code maximumEntries}; serving once {@link #setLive} says so. */
  public static <K> ReadCopies<K> ofEntries(long maximumEntries) {
    return new ReadCopies<>(Caffeine.newBuilder().maximumSize(maximumEntries));
  }

  /**
   * Copies bounded in bytes, live at once: at most {@code budgetBytes} as {@code weigher} counts them; once
   * full, a new copy is admitted only if it saves more than those it would push out ({@link CopyAdmission}),
   * and the copies kept are chosen by frequency and recency (W-TinyLFU).
   */
  public static <K> ReadCopies<K> ofBytes(long budgetBytes, java.util.function.ToIntFunction<Envelope> weigher) {
    // eviction runs on the thread that adds a copy, not later on a pool: the budget holds after every read
    ReadCopies<K> copies = new ReadCopies<>(Caffeine.newBuilder().maximumWeight(budgetBytes).executor(Runnable::run)
        .weigher((Object key, Object copy) -> weigher.applyAsInt((Envelope) copy)));
    // one counter per KiB of budget and row: wide enough to tell the hot keys among many more candidates
    copies.weigher = weigher;
    copies.admission = new CopyAdmission<>(new AccessSketch(budgetBytes / 1024),
        copies.entries.policy().eviction().orElseThrow());
    copies.live = true;
    return copies;
  }

  /** Returns the copy kept for {@code key}, or null. */
  public Envelope get(K key) {
    if (admission != null) {
      admission.recordRead(key);
    }
    Envelope kept = live ? entries.getIfPresent(key) : null;
    if (kept != null) {
      hits.increment();
    } else {
      misses.increment();
    }
    return kept;
  }

  /** Returns about how often {@code key} was read lately, for copies bounded in bytes; 0 otherwise. */
  public int frequency(K key) {
    return admission == null ? 0 : admission.frequency(key);
  }

  /** Returns how many reads it answered. */
  public long hits() {
    return hits.sum();
  }

  /** Returns how many reads it could not answer. */
  public long misses() {
    return misses.sum();
  }

  /** Returns how many copies were taken in (promotions, for the composite's hot copies). */
  public long kept() {
    return kept.sum();
  }

  /** Returns how many copies its bound made it drop (demotions: the entry stays in its home tier). */
  public long dropped() {
    return dropped.sum();
  }


  /**
   * Returns the stamp a read of {@code key} takes before it is sent, or -1 while this process is writing a key
   * of the same stripe (what such a read returns may be overtaken by the write at any moment).
   */
  public long stamp(K key) {
    int stripe = stripe(key);
    return writing.get(stripe) > 0 ? -1 : stripes.get(stripe);
  }

  /**
   * Keeps {@code envelope}, read after {@link #stamp} returned {@code stamp}, unless an invalidation or a write
   * of this process touched its stripe since; checked and stored in one atomic step on the key.
   */
  public void offer(K key, long stamp, Envelope envelope) {
    if (stamp < 0 || !live) {
      return;
    }
    int stripe = stripe(key);
    if (writing.get(stripe) > 0 || stripes.get(stripe) != stamp) {
      return; // overtaken already: the checks below would refuse it, after asking the admission for nothing
    }
    if (!admitted(key, envelope)) {
      // a refused read still takes its turn, so that an older read of the same stamp cannot be kept after it
      if (!stripes.compareAndSet(stripe, stamp, stamp + 1)) {
        entries.invalidate(key);
      }
      return;
    }
    // The stamp moves on with every record kept. Of two reads that took the same stamp, the first to arrive
    // is kept and the second removes it again (before its caller sees its own, possibly newer, value): so a
    // value read before another thread's newer read returned can never be served after it.
    Envelope now = entries.asMap().compute(key, (k, old) ->
        live && writing.get(stripe) == 0 && stripes.compareAndSet(stripe, stamp, stamp + 1) ? envelope : null);
    if (now != null) {
      kept.increment();
    }
  }

  /**
   * Begins a write of {@code key} by the caller holding the key's lock, whose {@link #endUpdate} replaces the
   * copy (or removes it): unlike {@link #beginWrite}, the current copy stays readable meanwhile (a read that
   * overlaps a write may see either value), and a replaced copy keeps its standing in the eviction policy, as
   * a value updated in place would.
   */
  public void beginUpdate(K key) {
    int stripe = stripe(key);
    writing.incrementAndGet(stripe);
    stripes.incrementAndGet(stripe);
  }

  /**
   * Ends what {@link #beginUpdate} began: keeps {@code copy}, the value the write committed, or removes the
   * key's copy when {@code copy} is null (the write failed, removed the entry, or stored bytes no copy can be
   * made of). No read that began before can keep an older value, since the write moved the stripe.
   */
  public void endUpdate(K key, Envelope copy) {
    endUpdate(key, copy, false);
  }

  /**
   * Ends what {@link #beginUpdate} began for a write that changed nothing (its remapper kept the value): the
   * copy, if any, stays as it is.
   */
  public void endUnchanged(K key) {
    endUpdate(key, null, true);
  }

  private void endUpdate(K key, Envelope copy, boolean unchanged) {
    int stripe = stripe(key);
    stripes.incrementAndGet(stripe);
    if (unchanged) {
      // the copy still matches the entry
    } else if (copy != null && live && admitted(key, copy)) {
      entries.put(key, copy);
      kept.increment();
    } else {
      entries.invalidate(key);
    }
    writing.decrementAndGet(stripe);
  }

  /** A copy that replaces one is always kept (it keeps its standing); a new one must be worth its room. */
  private boolean admitted(K key, Envelope copy) {
    return admission == null || entries.policy().getIfPresentQuietly(key) != null
        || admission.admits(key, weigher.applyAsInt(copy));
  }

  /** Returns true when a copy of {@code key} is kept. */
  public boolean contains(K key) {
    return entries.getIfPresent(key) != null;
  }

  /** Forgets {@code key}: Redis changed it. */
  public void invalidate(K key) {
    stripes.incrementAndGet(stripe(key));
    entries.invalidate(key);
  }

  /**
   * Forgets {@code key} as this process starts changing it; until {@link #endWrite}, no read of its stripe is
   * kept, so a value read before the change commits cannot be kept after it.
   */
  public void beginWrite(K key) {
    int stripe = stripe(key);
    writing.incrementAndGet(stripe);
    stripes.incrementAndGet(stripe);
    entries.invalidate(key);
  }

  /** Ends what {@link #beginWrite} began, whether the change committed or not. */
  public void endWrite(K key) {
    int stripe = stripe(key);
    stripes.incrementAndGet(stripe);
    entries.invalidate(key);
    writing.decrementAndGet(stripe);
  }

  /** Forgets everything: Redis was flushed, or invalidations may have been missed. */
  public void invalidateAll() {
    for (int i = 0; i < STRIPES; i++) {
      stripes.incrementAndGet(i);
    }
    entries.invalidateAll();
  }

  /**
   * Turns serving on once invalidations are known to arrive, or off (forgetting everything) when they may
   * not.
   */
  public void setLive(boolean arriving) {
    if (!arriving) {
      live = false;
      invalidateAll();
    } else {
      invalidateAll(); // what was missed while down is forgotten before anything is served again
      live = true;
    }
  }

  /** Returns true while records are served. */
  public boolean isLive() {
    return live;
  }

  /** Returns how many records it keeps. */
  public long size() {
    return entries.estimatedSize();
  }

  /** Returns what the copies weigh, for copies bounded in bytes; else how many there are. */
  public long weight() {
    return entries.policy().eviction().flatMap(eviction -> eviction.weightedSize().isPresent()
        ? java.util.Optional.of(eviction.weightedSize().getAsLong()) : java.util.Optional.empty())
        .orElse(entries.estimatedSize());
  }

  private static int stripe(Object key) {
    return AccessSketch.spread(key.hashCode()) & (STRIPES - 1);
  }
}
