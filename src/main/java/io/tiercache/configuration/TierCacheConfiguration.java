package io.tiercache.configuration;

import io.tiercache.routing.TypeStrategy;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * The configuration of a tiercache cache: everything of JSR-107's {@link MutableConfiguration} plus what
 * the standard lacks: a bound on the heap tier, the tiers and routing strategy of a composite cache, the
 * serializer's allowlist. Build one with {@link #builder(Class, Class)}; a plain {@code MutableConfiguration}
 * given to {@code createCache} is taken as one of these with the defaults.
 *
 * <p>Tier settings made here win over the configuration file's and the environment's; settings not made here
 * come from them (see {@link ConfigurationSource}). Defaults: the heap tier alone, holding at most
 * {@value #DEFAULT_HEAP_MAXIMUM_SIZE} entries (evicting the least valuable by Caffeine's W-TinyLFU policy beyond
 * that); time from the system UTC clock; listener deliveries and {@code loadAll} on a shared pool of daemon
 * threads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class TierCacheConfiguration<K, V> extends MutableConfiguration<K, V> {

  private static final long serialVersionUID = 1L;

  /** The number of entries a heap tier holds when the configuration says nothing else. */
  public static final long DEFAULT_HEAP_MAXIMUM_SIZE = 100_000L;

  private long heapMaximumSize = DEFAULT_HEAP_MAXIMUM_SIZE;
  private boolean heapMaximumSizeSet;
  private long heapMaximumWeight = -1;
  private final Map<String, Object> tierSettings = new LinkedHashMap<>();
  private transient TypeStrategy strategy;
  private transient EntryWeigher<? super K, ? super V> weigher;
  private transient Clock clock = Clock.systemUTC();
  private transient Executor executor;

  /** Creates a configuration with every default. */
  public TierCacheConfiguration() {
    super();
  }

  /**
   * Copies a JSR-107 configuration, and tiercache's own settings when it is one of ours.
   *
   * @param configuration the configuration to copy
   */
  @SuppressWarnings("unchecked")
  public TierCacheConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof TierCacheConfiguration) {
      TierCacheConfiguration<K, V> other = (TierCacheConfiguration<K, V>) configuration;
      this.heapMaximumSize = other.heapMaximumSize;
      this.heapMaximumSizeSet = other.heapMaximumSizeSet;
      this.heapMaximumWeight = other.heapMaximumWeight;
      this.tierSettings.putAll(other.tierSettings);
      this.strategy = other.strategy;
      this.weigher = other.weigher;
      this.clock = other.clock;
      this.executor = other.executor;
    }
  }

  /** Starts a builder for a cache of the given key and value types. */
  public static <K, V> Builder<K, V> builder(Class<K> keyType, Class<V> valueType) {
    return new Builder<>(keyType, valueType);
  }

  /** Returns the heap tier's maximum entry count, or -1 when it is bounded by weight or unbounded. */
  public long getHeapMaximumSize() {
    return heapMaximumSize;
  }

  /** Returns the heap tier's maximum total weight, or -1 when it is bounded by count or unbounded. */
  public long getHeapMaximumWeight() {
    return heapMaximumWeight;
  }

  /** Returns the weigher of a weight-bounded heap tier, or null. */
  public EntryWeigher<? super K, ? super V> getWeigher() {
    return weigher;
  }

  /** Returns the clock that expiry is measured on. */
  public Clock getClock() {
    return clock == null ? Clock.systemUTC() : clock; // null after Java deserialization: the field is transient
  }

  /** Returns the executor of listener deliveries and {@code loadAll}, or null for the shared default. */
  public Executor getExecutor() {
    return executor;
  }

  /**
   * Bounds the heap tier to {@code maximumSize} entries.
   *
   * @throws IllegalArgumentException if negative
   */
  public TierCacheConfiguration<K, V> setHeapMaximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("heap maximum size must be >= 0, was " + maximumSize);
    }
    this.heapMaximumSize = maximumSize;
    this.heapMaximumSizeSet = true;
    this.heapMaximumWeight = -1;
    this.weigher = null;
    return this;
  }

  /**
   * Bounds the heap tier to a total weight, each entry weighed by {@code weigher}.
   *
   * @throws IllegalArgumentException if the weight is negative
   * @throws NullPointerException if the weigher is null
   */
  public TierCacheConfiguration<K, V> setHeapMaximumWeight(long maximumWeight,
      EntryWeigher<? super K, ? super V> weigher) {
    if (maximumWeight < 0) {
      throw new IllegalArgumentException("heap maximum weight must be >= 0, was " + maximumWeight);
    }
    this.weigher = Objects.requireNonNull(weigher, "a weight bound needs a weigher");
    this.heapMaximumWeight = maximumWeight;
    this.heapMaximumSize = -1;
    this.heapMaximumSizeSet = true;
    return this;
  }

  /** Removes the heap tier's bound: it holds whatever it is given. */
  public TierCacheConfiguration<K, V> setHeapUnbounded() {
    this.heapMaximumSize = -1;
    this.heapMaximumSizeSet = true;
    this.heapMaximumWeight = -1;
    this.weigher = null;
    return this;
  }

  /** Returns true when the heap bound was set here, so it overrides the configuration file's. */
  public boolean isHeapBoundSet() {
    return heapMaximumSizeSet;
  }

  /**
   * Sets a tier setting by its configuration-file key below a cache section, such as {@code tiers},
   * {@code rocksdb.sync} or {@code strategy.heap-max-bytes}. Values set here override the file's. Validated
   * when the cache is created, with errors naming the key.
   */
  public TierCacheConfiguration<K, V> setTierSetting(String key, Object value) {
    tierSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Returns the tier settings made here, by configuration key. */
  public Map<String, Object> getTierSettings() {
    return Collections.unmodifiableMap(tierSettings);
  }

  /** Sets a routing strategy instance, which takes precedence over {@code strategy.name}. */
  public TierCacheConfiguration<K, V> setStrategy(TypeStrategy strategy) {
    this.strategy = strategy;
    return this;
  }

  /** Returns the routing strategy instance set here, or null. */
  public TypeStrategy getStrategy() {
    return strategy;
  }

  /** Sets the clock expiry is measured on; tests pass a controllable one. */
  public TierCacheConfiguration<K, V> setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Sets the executor of listener deliveries and {@code loadAll}; null restores the shared default. */
  public TierCacheConfiguration<K, V> setExecutor(Executor executor) {
    this.executor = executor;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!super.equals(o) || !(o instanceof TierCacheConfiguration)) {
      return false;
    }
    TierCacheConfiguration<?, ?> other = (TierCacheConfiguration<?, ?>) o;
    return heapMaximumSize == other.heapMaximumSize && heapMaximumWeight == other.heapMaximumWeight
        && heapMaximumSizeSet == other.heapMaximumSizeSet && tierSettings.equals(other.tierSettings)
        && Objects.equals(strategy, other.strategy)
        && Objects.equals(weigher, other.weigher) && Objects.equals(clock, other.clock)
        && Objects.equals(executor, other.executor);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Long.hashCode(heapMaximumSize) * 17 + Long.hashCode(heapMaximumWeight);
  }

  /**
   * A fluent builder of {@link TierCacheConfiguration}.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    private final TierCacheConfiguration<K, V> configuration = new TierCacheConfiguration<>();

    Builder(Class<K> keyType, Class<V> valueType) {
      configuration.setTypes(keyType, valueType);
    }

    /** Bounds the heap tier by entry count. */
    public Builder<K, V> heapMaximumSize(long maximumSize) {
      configuration.setHeapMaximumSize(maximumSize);
      return this;
    }

    /** Bounds the heap tier by total weight. */
    public Builder<K, V> heapMaximumWeight(long maximumWeight, EntryWeigher<? super K, ? super V> weigher) {
      configuration.setHeapMaximumWeight(maximumWeight, weigher);
      return this;
    }

    /** Leaves the heap tier unbounded. */
    public Builder<K, V> heapUnbounded() {
      configuration.setHeapUnbounded();
      return this;
    }

    /** Sets the tiers, fastest first ({@link io.tiercache.routing.TierNames}). */
    public Builder<K, V> tiers(String... tiers) {
      configuration.setTierSetting("tiers", List.of(tiers));
      return this;
    }

    /**
     * Chooses a routing strategy by name ({@code size}, {@code class}, {@code annotation}, {@code single},
     * {@code adaptive}).
     */
    public Builder<K, V> strategy(String name) {
      configuration.setTierSetting("strategy.name", name);
      return this;
    }

    /** Sets an option of the routing strategy, such as {@code heap-max-bytes}. */
    public Builder<K, V> strategyOption(String option, String value) {
      configuration.setTierSetting("strategy." + option, value);
      return this;
    }

    /** Uses this routing strategy instance. */
    public Builder<K, V> strategy(TypeStrategy strategy) {
      configuration.setStrategy(strategy);
      return this;
    }

    /** Allows these classes, packages ({@code com.example.*}) or trees ({@code com.example.**}) on disk. */
    public Builder<K, V> allowlist(String... patterns) {
      configuration.setTierSetting("serializer.allowlist", List.of(patterns));
      return this;
    }

    /** Makes disk tiers start empty on every open. */
    public Builder<K, V> transientStore(boolean transientStore) {
      configuration.setTierSetting("transient", transientStore);
      return this;
    }

    /** Fails cache creation when a tier cannot start, instead of falling back. */
    public Builder<K, V> strict(boolean strict) {
      configuration.setTierSetting("strict", strict);
      return this;
    }

    /**
     * Puts the cache in Redis, shared with every process using the same server and namespace: tiers
     * {@code [redis]} (call {@link #tiers} after this for {@code [heap, redis]}, the heap then being a near
     * cache) and {@code redis.uri}, a {@code redis://} or {@code rediss://} URI.
     */
    public Builder<K, V> redis(String uri) {
      configuration.setTierSetting("tiers", List.of("redis"));
      configuration.setTierSetting("redis.uri", uri);
      return this;
    }

    /** Like {@link #redis(String)}, for a Redis cluster given by some of its nodes' URIs. */
    public Builder<K, V> redisCluster(String... seeds) {
      configuration.setTierSetting("tiers", List.of("redis"));
      configuration.setTierSetting("redis.cluster", List.of(seeds));
      return this;
    }

    /**
     * Encrypts the cache's records on disk with AES-256-GCM: {@code primary} is the id of the master key new
     * records are written with, {@code keys} every master key by id with where its bytes come from
     * ({@code env:NAME}, {@code file:/path}, {@code pkcs12:/path}). See the README's "Encryption".
     */
    public Builder<K, V> encryption(String primary, java.util.Map<String, String> keys) {
      configuration.setTierSetting("encryption.enabled", true);
      configuration.setTierSetting("encryption.primary", primary);
      keys.forEach((id, source) -> configuration.setTierSetting("encryption.keys." + id, source));
      return this;
    }

    /**
     * Stores a keyed hash of each key instead of the key (with {@link #encryption}), so keys are not readable
     * on disk either; iteration and events still give the real keys, kept inside the encrypted records.
     */
    public Builder<K, V> hashKeys(boolean hashKeys) {
      configuration.setTierSetting("encryption.hash-keys", hashKeys);
      return this;
    }

    /** Sets any tier setting by its configuration-file key, e.g. {@code rocksdb.sync}. */
    public Builder<K, V> tierSetting(String key, Object value) {
      configuration.setTierSetting(key, value);
      return this;
    }

    /** Sets the expiry policy. */
    public Builder<K, V> expiryPolicy(Factory<? extends ExpiryPolicy> factory) {
      configuration.setExpiryPolicyFactory(factory);
      return this;
    }

    /** Stores by value (true, the JSR-107 default) or by reference (false). */
    public Builder<K, V> storeByValue(boolean storeByValue) {
      configuration.setStoreByValue(storeByValue);
      return this;
    }

    /** Enables statistics. */
    public Builder<K, V> statistics(boolean enabled) {
      configuration.setStatisticsEnabled(enabled);
      return this;
    }

    /** Enables the management MXBean. */
    public Builder<K, V> management(boolean enabled) {
      configuration.setManagementEnabled(enabled);
      return this;
    }

    /** Sets a loader and turns read-through on. */
    public Builder<K, V> readThrough(Factory<? extends CacheLoader<K, V>> loader) {
      configuration.setCacheLoaderFactory(loader);
      configuration.setReadThrough(true);
      return this;
    }

    /** Sets a writer and turns write-through on. */
    public Builder<K, V> writeThrough(Factory<? extends CacheWriter<? super K, ? super V>> writer) {
      configuration.setCacheWriterFactory(writer);
      configuration.setWriteThrough(true);
      return this;
    }

    /** Adds a listener registration. */
    public Builder<K, V> listener(CacheEntryListenerConfiguration<K, V> listener) {
      configuration.addCacheEntryListenerConfiguration(listener);
      return this;
    }

    /** Sets the clock expiry is measured on. */
    public Builder<K, V> clock(Clock clock) {
      configuration.setClock(clock);
      return this;
    }

    /** Sets the executor of listener deliveries and {@code loadAll}. */
    public Builder<K, V> executor(Executor executor) {
      configuration.setExecutor(executor);
      return this;
    }

    /** Returns the configuration; the builder may keep being used for another. */
    public TierCacheConfiguration<K, V> build() {
      return new TierCacheConfiguration<>(configuration);
    }
  }
}
