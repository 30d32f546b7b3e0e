package io.tiercache;

import io.tiercache.configuration.CacheSettings;
import io.tiercache.persistence.StoreDirectory;
import io.tiercache.routing.CompositeTier;
import io.tiercache.routing.TierNames;
import io.tiercache.routing.TypeStrategies;
import io.tiercache.routing.TypeStrategy;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.heap.HeapBound;
import io.tiercache.tier.heap.HeapTier;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.redis.RedisSettings;
import io.tiercache.tier.redis.RedisTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the tier of one cache from its resolved settings: the heap tier alone when that is all it needs,
 * one disk tier alone, or a {@link CompositeTier} over several. Engines that cannot start are skipped with a
 * single warning naming the cause (the next configured tier, or the heap, takes their entries), unless the
 * cache is strict.
 */
final class TierAssembly {

  private static final Logger LOG = LoggerFactory.getLogger(TierAssembly.class);

  /** Checks that RocksDB can start here; replaced by tests to simulate a machine without its library. */
  static volatile Runnable rocksDbAvailability = RocksDbTiers::checkAvailable;

  /** Wraps each cache's serializer; replaced by tests that count what the write path serializes. */
  static volatile java.util.function.UnaryOperator<Serializer> serializerDecorator =
      java.util.function.UnaryOperator.identity();

  private TierAssembly() { }

  /** What the assembly needs from the cache and its manager. */
  static final class Inputs<K> {
    String cacheName;
    CacheSettings settings;
    TypeStrategy strategy;        // a programmatic instance, or null to create one by name
    HeapBound heapBound;
    boolean storeByValue;
    boolean expiring;             // false when no entry can expire, which spares Caffeine's timers
    Clock clock;
    TierListener<K> listener;
    /** Counts each tier's evictions and reclaimed expirations; null to count nothing. */
    TierMeters meters;
    Supplier<StoreDirectory> directory;
    Supplier<ClassLoader> classLoader;
    String managerUri;
    /** Filled in by the assembly: the configured tiers that could not start, with the reason. */
    final Map<String, String> notStarted = new LinkedHashMap<>();
    /** One set of key locks per cache: its composite and its byte-storing tiers share them. */
    final KeyLocks locks = new KeyLocks(1024);

    /** The composite, once built: its hot copies must hear what its tiers drop by themselves. */
    final java.util.concurrent.atomic.AtomicReference<CompositeTier<K>> composite =
        new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * The listener for the tier named {@code tier}: the cache's, counting that tier's removals on the way; a
     * byte-storing tier's also removes the hot copy of what it drops.
     */
    TierListener<K> listenerFor(String tier) {
      TierListener<K> counted = meters == null ? listener : meters.counting(tier, listener);
      return tier.equals(TierNames.HEAP) || tier.equals(TierNames.REDIS) ? counted
          : new ForgettingCopies<>(counted, composite);
    }
  }

  /** Removes a composite's hot copy of each entry a tier dropped by itself, then tells the cache. */
  private static final class ForgettingCopies<K> implements TierListener<K> {
    private final TierListener<K> next;
    private final java.util.concurrent.atomic.AtomicReference<CompositeTier<K>> composite;

    ForgettingCopies(TierListener<K> next, java.util.concurrent.atomic.AtomicReference<CompositeTier<K>> composite) {
      this.next = next;
      this.composite = composite;
    }

    @Override
    public void onRemoval(K key, io.tiercache.tier.Envelope envelope, io.tiercache.tier.RemovalCause cause) {
      CompositeTier<K> built = composite.get();
      if (built != null) {
        built.forgetCopy(key);
      }
      next.onRemoval(key, envelope, cause);
    }

    @Override
    public void onRemoteChange(K key, io.tiercache.tier.Envelope old, io.tiercache.tier.Envelope current,
        long atMillis) {
      next.onRemoteChange(key, old, current, atMillis);
    }

    @Override
    public boolean listening() {
      return next.listening();
    }
  }

  static <K> Tier<K> build(Inputs<K> in) {
    CacheSettings settings = in.settings;
    if (!settings.usesDiskOrOffHeap()) {
      return heap(in);
    }
    if (!in.storeByValue) {
      LOG.warn("Cache '{}' stores by reference, so all its entries stay on the heap; its tiers {} apply only to"
          + " store-by-value caches", in.cacheName, settings.tiers());
      return heap(in);
    }
    if (settings.tiers().contains(TierNames.REDIS)) {
      return redis(in);
    }
    // the strategy first: a misconfigured one must fail before any store is opened (and locked)
    TypeStrategy strategy = in.strategy;
    if (strategy == null && settings.tiers().size() > 1) {
      try {
        strategy = TypeStrategies.create(settings.strategyName(), settings.strategyOptions(), in.classLoader.get());
      } catch (IllegalArgumentException e) {
        throw new io.tiercache.configuration.ConfigurationException("Cache '" + in.cacheName + "': strategy."
            + e.getMessage().replaceFirst("^strategy option ", ""), e);
      }
    }
    Map<String, Tier<K>> tiers = new LinkedHashMap<>();
    List<String> unavailable = new ArrayList<>();
    TierUnavailableException firstFailure = null;
    Serializer serializer = null;
    try {
      for (String name : settings.tiers()) {
        try {
          if (!name.equals(TierNames.HEAP) && serializer == null) {
            serializer = serializer(in);
          }
          tiers.put(name, open(name, in, serializer));
        } catch (TierUnavailableException e) {
          if (settings.strict()) {
            throw new CacheException("Cache '" + in.cacheName + "' is strict and its " + name
                + " tier cannot start: " + e.getMessage(), e);
          }
          if (!e.degradable()) {
            // a held, unusable or damaged store: running without it would keep writes in memory only
            throw new CacheException("Cache '" + in.cacheName + "' cannot start its " + name + " tier: "
                + e.getMessage(), e);
          }
          unavailable.add(name);
          in.notStarted.put(name, e.getMessage());
          if (firstFailure == null) {
            firstFailure = e;
          }
        }
      }
    } catch (RuntimeException e) {
      tiers.values().forEach(Tier::close);
      throw e;
    }
    if (tiers.isEmpty()) {
      tiers.put(TierNames.HEAP, heap(in));
    }
    if (!unavailable.isEmpty()) {
      LOG.warn("Cache '{}': tier(s) {} cannot start ({}); their entries go to {} instead. Set strict = true to"
          + " fail instead.", in.cacheName, unavailable, firstFailure.getMessage(), tiers.keySet(), firstFailure);
    }
    if (tiers.size() == 1) {
      return tiers.values().iterator().next();
    }
    if (strategy == null) {
      // configured with one tier, left with several: impossible today, but a strategy is still needed
      strategy = TypeStrategies.create(settings.strategyName(), settings.strategyOptions(), in.classLoader.get());
    }
    CompositeTier<K> composite = new CompositeTier<>(tiers, strategy);
    in.composite.set(composite);
    return composite;
  }

  private static <K> Tier<K> heap(Inputs<K> in) {
    return HeapTier.create(in.heapBound, in.clock, in.expiring, in.listenerFor(TierNames.HEAP));
  }

  /**
   * The Redis tier, alone or with the heap in front of it as its near cache (bounded like the heap tier). It
   * never falls back: a cache meant to be shared that quietly kept its entries in one process would be wrong
   * in a way nobody sees, so an unreachable or misconfigured server fails the cache's creation.
   */
  private static <K> Tier<K> redis(Inputs<K> in) {
    CacheSettings settings = in.settings;
    RedisSettings redis = settings.redis();
    if (redis.namespace().isEmpty()) {
      redis = redis.withNamespace(in.managerUri + "/" + in.cacheName);
    }
    long nearCache = 0;
    if (settings.tiers().contains(TierNames.HEAP)) {
      // bounded like the heap tier; a near cache must have a bound, so an unbounded or weighed heap gets 100,000
      long bound = in.heapBound.maximumEntries();
      nearCache = bound >= 0 ? bound : 100_000;
    }
    try {
      Tier<K> tier = RedisTiers.open(redis, in.cacheName, registry -> serializerDecorator.apply(new KryoSerializer(
          registry, ClassAllowlist.of(settings.allowlist()), in.classLoader, "cache '" + in.cacheName + "'")),
          in.clock, in.listenerFor(TierNames.REDIS), nearCache, redis.events(),
          io.tiercache.encryption.CacheEncryption.sharedOf(settings.encryption(), in.cacheName,
              redis.namespace()));
      if (settings.transientStore()) {
        try {
          tier.clear(); // transient: the cache starts empty, here for every process sharing the namespace
        } catch (RuntimeException e) {
          tier.close();
          throw e;
        }
      }
      return tier;
    } catch (TierUnavailableException e) {
      throw new CacheException("Cache '" + in.cacheName + "' cannot start its redis tier: " + e.getMessage(), e);
    }
  }

  /** The encryption of the cache's disk stores, or none. */
  private static <K> io.tiercache.tier.serialized.StoreProtection protection(Inputs<K> in) {
    return io.tiercache.encryption.CacheEncryption.of(in.settings.encryption(), in.cacheName,
        in.directory.get().root());
  }

  private static <K> Serializer serializer(Inputs<K> in) {
    boolean memoryOnly = !in.settings.tiers().contains(TierNames.ROCKSDB)
        && in.settings.mapdbMode() == CacheSettings.MapDbMode.DIRECT;
    ClassRegistry registry = memoryOnly ? ClassRegistry.inMemory() : in.directory.get().registry();
    return serializerDecorator.apply(new KryoSerializer(registry, ClassAllowlist.of(in.settings.allowlist()),
        in.classLoader, "cache '" + in.cacheName + "'"));
  }

  private static <K> Tier<K> open(String name, Inputs<K> in, Serializer serializer) {
    CacheSettings settings = in.settings;
    switch (name) {
      case TierNames.HEAP:
        return heap(in);
      case TierNames.MAPDB: {
        Capacity capacity = new Capacity(settings.mapdbMaximumEntries(), settings.mapdbMaximumBytes());
        if (settings.mapdbMode() == CacheSettings.MapDbMode.DIRECT) {
          return MapDbTiers.openDirectMemory(serializer, capacity, in.locks, in.clock,
              in.listenerFor(TierNames.MAPDB));
        }
        MapDbTiers.Durability durability = settings.mapdbTransactions() ? MapDbTiers.Durability.TRANSACTIONS
            : settings.mapdbMode() == CacheSettings.MapDbMode.FILE_LOST_ON_CRASH ? MapDbTiers.Durability.NONE
            : MapDbTiers.Durability.LOG;
        return MapDbTiers.openFile(in.directory.get().mapDbFile(in.cacheName), durability,
            settings.transientStore(), serializer, capacity, in.locks, in.clock, in.listenerFor(TierNames.MAPDB),
            protection(in));
      }
      case TierNames.ROCKSDB: {
        rocksDbAvailability.run();
        Capacity capacity = new Capacity(settings.rocksdbMaximumEntries(), settings.rocksdbMaximumBytes());
        return RocksDbTiers.open(in.directory.get().rocksDb(), in.cacheName, settings.rocksdbSync(),
            settings.transientStore(), serializer, capacity, in.locks, in.clock, in.listenerFor(TierNames.ROCKSDB),
            protection(in));
      }
      default:
        throw new IllegalArgumentException("unknown tier '" + name + "'; allowed: " + TierNames.ALL);
    }
  }
}
