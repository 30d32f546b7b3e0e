package io.tiercache.tier.heap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The heap tier: a Caffeine cache of {@link Envelope}s holding the objects themselves.
 *
 * <p>Reclamation lags an envelope's expiry by {@value #RECLAIM_GRACE_MILLIS} ms, so that the cache, which
 * checks expiry on every access, is the one that finds an entry expired while someone still uses it (and
 * tells that caller's synchronous listeners); Caffeine only reclaims what nobody touched.
 *
 * <p>Eviction: when bounded, Caffeine's W-TinyLFU policy picks victims once the entry count or total weight
 * exceeds the bound (amortized, so the bound may be passed briefly). When the cache can expire entries,
 * Caffeine's timer wheel reclaims them at their envelope's expiry instant, measured on the cache's clock,
 * so memory is freed even for entries nobody reads again.
 *
 * @param <K> the key type
 */
public final class HeapTier<K> implements Tier<K> {

  /** How long after its expiry instant Caffeine reclaims an untouched entry. */
  static final long RECLAIM_GRACE_MILLIS = 1_000;

  /** Set while this thread clears a tier: Caffeine reports expired entries it drops then, and clear is silent. */
  private static final ThreadLocal<Boolean> CLEARING = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final Cache<K, Envelope> cache;
  private final ConcurrentMap<K, Envelope> map;

  private HeapTier(Cache<K, Envelope> cache) {
    this.cache = cache;
    this.map = cache.asMap();
  }

  /**
   * Creates a heap tier.
   *
   * @param bound the capacity: unbounded, a maximum entry count or a maximum weight
   * @param clock the cache's clock; also Caffeine's ticker, so expiry and reclamation agree
   * @param expiring false when every entry is eternal, which spares Caffeine's per-entry timers
   * @param listener told of capacity evictions and expiry reclamations
   */
  public static <K> HeapTier<K> create(HeapBound bound, Clock clock, boolean expiring,
      TierListener<? super K> listener) {
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        // Maintenance and listeners run on the calling thread: no hidden pool, deterministic eviction.
        .executor(Runnable::run);
    bound.applyTo(builder);
    if (expiring) {
      builder.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
          .expireAfter(new EnvelopeExpiry<>(clock));
    }
    Caffeine<K, Envelope> typed = builder.<K, Envelope>evictionListener((key, envelope, cause) -> {
      if (key != null && envelope != null && cause.wasEvicted() && !CLEARING.get()) {
        listener.onRemoval(key, envelope, cause == RemovalCause.EXPIRED
            ? io.tiercache.tier.RemovalCause.EXPIRED : io.tiercache.tier.RemovalCause.CAPACITY);
      }
    });
    return new HeapTier<>(typed.build());
  }

  @Override
  public String name() {
    return "heap";
  }

  @Override
  public Envelope get(K key) {
    return cache.getIfPresent(key);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    return map.compute(key, remapper::remap);
  }

  @Override
  public void put(K key, Envelope envelope) {
    map.put(key, envelope);
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    // A new envelope makes Caffeine re-time the entry through expireAfterUpdate.
    map.computeIfPresent(key, (k, current) -> current == envelope ? current.withExpireAt(expireAtMillis) : current);
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> keys) {
    return cache.getAllPresent(keys);
  }

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    return map.entrySet().iterator();
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public void clear() {
    // the SPI says clear reports nothing, but Caffeine tells the eviction listener of expired entries it drops
    CLEARING.set(Boolean.TRUE);
    try {
      map.clear();
    } finally {
      CLEARING.set(Boolean.FALSE);
    }
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(cache)) {
      return type.cast(cache);
    }
    return null;
  }

  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  /** Tells Caffeine when an envelope expires; an update re-reads the instant, a read keeps it. */
  private static final class EnvelopeExpiry<K> implements Expiry<K, Envelope> {
    private final Clock clock;

    EnvelopeExpiry(Clock clock) {
      this.clock = clock;
    }

    private long nanosUntil(Envelope envelope) {
      long expireAt = envelope.expireAtMillis();
      if (expireAt >= Envelope.ETERNAL - RECLAIM_GRACE_MILLIS) {
        return Long.MAX_VALUE;
      }
      long remainingMillis = Math.max(0, expireAt + RECLAIM_GRACE_MILLIS - clock.millis());
      return remainingMillis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : remainingMillis * 1_000_000;
    }

    @Override
    public long expireAfterCreate(K key, Envelope envelope, long currentTime) {
      return nanosUntil(envelope);
    }

    @Override
    public long expireAfterUpdate(K key, Envelope envelope, long currentTime, long currentDuration) {
      return nanosUntil(envelope);
    }

    @Override
    public long expireAfterRead(K key, Envelope envelope, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
