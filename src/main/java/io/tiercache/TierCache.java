package io.tiercache;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheConfigurationBean;
import io.tiercache.management.CacheHealth;
import io.tiercache.management.CacheHealthBean;
import io.tiercache.management.CacheStatistics;
import io.tiercache.management.MBeanRegistrar;
import io.tiercache.serialization.SerializationException;
import io.tiercache.tier.TierException;
import io.tiercache.tier.UndecodableRecordException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiercache {@link Cache}. This class checks arguments and the cache's state, then hands each call to the
 * operation class that implements it ({@link KeyOperations}, {@link BulkOperations},
 * {@link InvokeOperations}); those work against the cache's tier through {@link CacheContext}, so the same
 * code serves heap-only and composite caches.
 *
 * <p>{@link #unwrap(Class)} gives this class, the {@link CacheStatistics}, and the underlying engine
 * object (for a heap tier, Caffeine's {@code com.github.benmanes.caffeine.cache.Cache}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TierCache<K, V> implements Cache<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(TierCache.class);

  private final TierCacheManager manager;
  private final TierCacheConfiguration<K, V> configuration;
  private final CacheContext<K, V> context;
  private final KeyOperations<K, V> keys;
  private final BulkOperations<K, V> bulk;
  private final InvokeOperations<K, V> invokes;
  private final CacheConfigurationBean configurationBean;
  private final Runnable onClose;
  private boolean ownsStatisticsBean;      // guarded by this
  private boolean ownsConfigurationBean;   // guarded by this
  private final boolean ownsHealthBean;
  private volatile boolean closed;

  TierCache(TierCacheManager manager, TierCacheConfiguration<K, V> configuration, CacheContext<K, V> context,
      Runnable onClose) {
    this.manager = manager;
    this.configuration = configuration;
    this.context = context;
    this.keys = new KeyOperations<>(context);
    this.bulk = new BulkOperations<>(context);
    this.invokes = new InvokeOperations<>(context);
    this.onClose = onClose;
    this.configurationBean = new CacheConfigurationBean(configuration,
        configuration::isStatisticsEnabled, configuration::isManagementEnabled);
    context.cache = this;
    context.events.setSource(this);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
    // health is published whatever management says: a cache that fell back must be visible where operators look
    this.ownsHealthBean = MBeanRegistrar.register(new CacheHealthBean(context.health::snapshot),
        objectName(MBeanRegistrar.Kind.HEALTH));
  }

  @Override
  public V get(K key) {
    requireOpen();
    requireKey(key);
    if (!context.events.isTracking()) {
      try {
        try {
          return keys.get(key); // the hot path of a cache that never had a listener: no lambda, no bookkeeping
        } catch (UndecodableRecordException dropped) {
          return keys.get(key); // the record that failed was dropped: now a miss
        }
      } catch (TierException | SerializationException e) {
        throw storageFailure(e);
      }
    }
    return withEvents(() -> keys.get(key));
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    return withEventsOnce(() -> bulk.getAll(keys)); // undecodable records: per key
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireKey(key);
    try {
      try {
        return keys.containsKey(key);
      } catch (UndecodableRecordException dropped) {
        return keys.containsKey(key);
      }
    } catch (TierException | SerializationException e) {
      throw storageFailure(e);
    }
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    requireOpen();
    requireKeys(keys);
    bulk.loadAll(keys, replaceExistingValues, listener);
  }

  @Override
  public void put(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    if (!context.events.isTracking()) {
      try {
        keys.put(key, value); // the hot path of a cache that never had a listener: no event bookkeeping
        return;
      } catch (UndecodableRecordException dropped) {
        try {
          keys.put(key, value); // the old record was dropped: the key is absent now
        } catch (TierException | SerializationException e) {
          throw storageFailure(e);
        }
      } catch (TierException | SerializationException e) {
        throw storageFailure(e);
      }
    }
    withEvents(() -> {
      keys.put(key, value);
      return null;
    });
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    return withEvents(() -> keys.getAndPut(key, value));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      requireKeyValue(entry.getKey(), entry.getValue());
    }
    withEventsOnce(() -> { // undecodable records are retried key by key inside
      bulk.putAll(map);
      return null;
    });
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    return withEvents(() -> keys.putIfAbsent(key, value));
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireKey(key);
    return withEvents(() -> keys.remove(key));
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireKeyValue(key, oldValue);
    return withEvents(() -> keys.remove(key, oldValue));
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    requireKey(key);
    return withEvents(() -> keys.getAndRemove(key));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    requireKeyValue(key, oldValue);
    requireValue(newValue);
    return withEvents(() -> keys.replace(key, oldValue, newValue));
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    return withEvents(() -> keys.replace(key, value));
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    return withEvents(() -> keys.getAndReplace(key, value));
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    withEventsOnce(() -> { // undecodable records are retried key by key inside
      bulk.removeAll(keys);
      return null;
    });
  }

  @Override
  public void removeAll() {
    requireOpen();
    withEventsOnce(() -> { // undecodable records are retried key by key inside
      bulk.removeAll();
      return null;
    });
  }

  @Override
  public void clear() {
    requireOpen();
    try {
      context.tier.clear();
    } catch (TierException | SerializationException e) {
      throw storageFailure(e);
    }
  }

  /**
   * Clears the cache and destroys the keys its tiers keep beside their records (crypto-shredding of a shared
   * store), as {@code destroyCache} does before closing it.
   */
  boolean clearAndDestroyKeys() {
    clear();
    try {
      return context.tier.destroyKeys();
    } catch (TierException e) {
      throw storageFailure(e);
    }
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    if (type.isInstance(configuration)) {
      // a snapshot: changing it cannot reconfigure the cache behind its back
      synchronized (configuration) {
        return type.cast(new TierCacheConfiguration<>(configuration));
      }
    }
    throw new IllegalArgumentException("The configuration of cache '" + getName() + "' is a "
        + configuration.getClass().getName() + ", not a " + type.getName());
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(entryProcessor, "entryProcessor");
    return withEvents(() -> invokes.invoke(key, entryProcessor, arguments));
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireKeys(keys);
    Objects.requireNonNull(entryProcessor, "entryProcessor");
    return invokes.invokeAll(keys, entryProcessor, arguments);
  }

  @Override
  public String getName() {
    return context.name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      // beans go first, so a cache of the same name created right after can register its own
      unregisterStatisticsBean();
      unregisterConfigurationBean();
      if (ownsHealthBean) {
        MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.HEALTH));
      }
    }
    onClose.run();
    // each step on its own: one failing must not leave the rest open
    runQuietly("waiting for loadAll", bulk::awaitRunningLoads);
    runQuietly("closing listeners", context.events::close);
    runQuietly("closing the loader", () -> Closeables.closeQuietly(context.loader == null ? null : context.loader.loader()));
    runQuietly("closing the writer", () -> Closeables.closeQuietly(context.writer == null ? null : context.writer.writer()));
    runQuietly("closing the expiry policy", () -> Closeables.closeQuietly(context.expiry.policy()));
    runQuietly("closing the tier", context.tier::close);
  }

  private void runQuietly(String step, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("Cache '{}': {} failed while closing", getName(), step, e);
    }
  }


  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(context.statistics)) {
      return type.cast(context.statistics);
    }
    if (type == CacheHealth.class) {
      return type.cast(context.health.snapshot());
    }
    T engine = context.tier.unwrap(type);
    if (engine != null) {
      return engine;
    }
    throw new IllegalArgumentException("Cache '" + getName() + "' cannot be unwrapped to " + type.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (configuration) {
      context.events.register(listenerConfiguration);
      configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (configuration) {
      configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
    }
    context.events.deregister(listenerConfiguration);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    try {
      return new CacheIterator<>(context, keys);
    } catch (TierException | SerializationException e) {
      throw storageFailure(e);
    }
  }

  /** Turns statistics on or off, registering or unregistering the statistics MXBean. */
  synchronized void setStatisticsEnabled(boolean enabled) {
    requireOpen();
    configuration.setStatisticsEnabled(enabled);
    context.statistics.setEnabled(enabled);
    if (enabled && !ownsStatisticsBean) {
      ownsStatisticsBean = MBeanRegistrar.register(context.statistics, objectName(MBeanRegistrar.Kind.STATISTICS));
    } else if (!enabled) {
      unregisterStatisticsBean();
    }
  }

  /** Turns management on or off, registering or unregistering the configuration MXBean. */
  synchronized void setManagementEnabled(boolean enabled) {
    requireOpen();
    configuration.setManagementEnabled(enabled);
    if (enabled && !ownsConfigurationBean) {
      ownsConfigurationBean = MBeanRegistrar.register(configurationBean,
          objectName(MBeanRegistrar.Kind.CONFIGURATION));
    } else if (!enabled) {
      unregisterConfigurationBean();
    }
  }

  private void unregisterStatisticsBean() {
    if (ownsStatisticsBean) {
      MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.STATISTICS));
      ownsStatisticsBean = false;
    }
  }

  private void unregisterConfigurationBean() {
    if (ownsConfigurationBean) {
      MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.CONFIGURATION));
      ownsConfigurationBean = false;
    }
  }

  private javax.management.ObjectName objectName(MBeanRegistrar.Kind kind) {
    return MBeanRegistrar.objectName(kind, manager.getURI().toString(), getName());
  }

  /**
   * Runs an operation between the event dispatcher's begin and finish: its events are released only if it
   * succeeds, and synchronous listeners have run when it returns.
   */
  private <T> T withEvents(java.util.function.Supplier<T> operation) {
    try {
      return withEventsOnce(operation, true);
    } catch (UndecodableRecordException dropped) {
      return withEventsOnce(operation); // the record that failed is gone: the operation runs as on a miss
    }
  }

  private <T> T withEventsOnce(java.util.function.Supplier<T> operation) {
    return withEventsOnce(operation, false);
  }

  /** @param retrying true when the caller runs the operation again on an undecodable record, so it passes */
  private <T> T withEventsOnce(java.util.function.Supplier<T> operation, boolean retrying) {
    context.events.begin();
    boolean applied = false;
    try {
      T result = operation.get();
      applied = true;
      return result;
    } catch (UndecodableRecordException dropped) {
      throw retrying ? dropped : storageFailure(dropped);
    } catch (TierException | SerializationException e) {
      throw storageFailure(e);
    } finally {
      context.events.finish(applied);
    }
  }

  /** Turns a tier's own failure into the JCache API's, naming this cache ({@link StorageFailures}). */
  private CacheException storageFailure(RuntimeException failure) {
    return StorageFailures.of(getName(), failure);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + getName() + "' is closed");
    }
  }

  private void requireKey(Object key) {
    if (key == null) {
      throw new NullPointerException("Cache '" + getName() + "' does not accept null keys");
    }
    context.checkKeyType(key);
  }

  private void requireValue(Object value) {
    if (value == null) {
      throw new NullPointerException("Cache '" + getName() + "' does not accept null values");
    }
    context.checkValueType(value);
  }

  private void requireKeyValue(Object key, Object value) {
    requireKey(key);
    requireValue(value);
  }

  private void requireKeys(Set<?> keys) {
    Objects.requireNonNull(keys, "keys");
    for (Object key : keys) {
      requireKey(key);
    }
  }

  @Override
  public String toString() {
    return "TierCache[" + getName() + "]";
  }
}
