package io.tiercache;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheConfigurationBean;
import io.tiercache.management.CacheStatistics;
import io.tiercache.management.MBeanRegistrar;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.cache.Cache;
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
  }

  @Override
  public V get(K key) {
    requireOpen();
    requireKey(key);
    try {
      return keys.get(key);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    try {
      return bulk.getAll(keys);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireKey(key);
    return keys.containsKey(key);
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
    try {
      keys.put(key, value);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    try {
      return keys.getAndPut(key, value);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      requireKeyValue(entry.getKey(), entry.getValue());
    }
    try {
      bulk.putAll(map);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    try {
      return keys.putIfAbsent(key, value);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireKey(key);
    try {
      return keys.remove(key);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireKeyValue(key, oldValue);
    try {
      return keys.remove(key, oldValue);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    requireKey(key);
    try {
      return keys.getAndRemove(key);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    requireKeyValue(key, oldValue);
    requireValue(newValue);
    try {
      return keys.replace(key, oldValue, newValue);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    try {
      return keys.replace(key, value);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    requireKeyValue(key, value);
    try {
      return keys.getAndReplace(key, value);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    try {
      bulk.removeAll(keys);
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public void removeAll() {
    requireOpen();
    try {
      bulk.removeAll();
    } finally {
      context.events.awaitSynchronous();
    }
  }

  @Override
  public void clear() {
    requireOpen();
    context.tier.clear();
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    if (type.isInstance(configuration)) {
      // a snapshot: changing it cannot reconfigure the cache behind its back
      return type.cast(new TierCacheConfiguration<>(configuration));
    }
    throw new IllegalArgumentException("The configuration of cache '" + getName() + "' is a "
        + configuration.getClass().getName() + ", not a " + type.getName());
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(entryProcessor, "entryProcessor");
    try {
      return invokes.invoke(key, entryProcessor, arguments);
    } finally {
      context.events.awaitSynchronous();
    }
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
    if (closed) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    onClose.run();
    bulk.awaitRunningLoads();
    MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.CONFIGURATION));
    MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.STATISTICS));
    context.events.close();
    closeQuietly(context.loader == null ? null : context.loader.loader());
    closeQuietly(context.writer == null ? null : context.writer.writer());
    closeQuietly(context.expiry.policy());
    context.tier.close();
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable) {
      try {
        ((AutoCloseable) resource).close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", resource, e);
      }
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
    context.events.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
    context.events.deregister(listenerConfiguration);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    return new CacheIterator<>(context, keys);
  }

  /** Turns statistics on or off, registering or unregistering the statistics MXBean. */
  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    context.statistics.setEnabled(enabled);
    if (enabled) {
      MBeanRegistrar.register(context.statistics, objectName(MBeanRegistrar.Kind.STATISTICS));
    } else {
      MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.STATISTICS));
    }
  }

  /** Turns management on or off, registering or unregistering the configuration MXBean. */
  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      MBeanRegistrar.register(configurationBean, objectName(MBeanRegistrar.Kind.CONFIGURATION));
    } else {
      MBeanRegistrar.unregister(objectName(MBeanRegistrar.Kind.CONFIGURATION));
    }
  }

  private javax.management.ObjectName objectName(MBeanRegistrar.Kind kind) {
    return MBeanRegistrar.objectName(kind, manager.getURI().toString(), getName());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + getName() + "' is closed");
    }
  }

  private void requireKey(Object key) {
    Objects.requireNonNull(key, "key");
    context.checkKeyType(key);
  }

  private void requireValue(Object value) {
    Objects.requireNonNull(value, "value");
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
