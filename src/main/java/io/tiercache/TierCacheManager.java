package io.tiercache;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.configuration.ConfigurationSource;
import io.tiercache.persistence.StoreDirectory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiercache {@link CacheManager}: the caches of one (URI, ClassLoader) pair. Its class loader is held
 * weakly, so a manager never keeps an undeployed application's classes alive.
 */
public final class TierCacheManager implements CacheManager {

  private static final Logger LOG = LoggerFactory.getLogger(TierCacheManager.class);

  /** A cache manager property naming the directory of its disk tiers. */
  public static final String DIRECTORY_PROPERTY = "tiercache.directory";

  private final CachingProvider provider;
  private final URI uri;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final Runnable onClose;
  private final ConcurrentMap<String, TierCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final ConfigurationSource configuration;
  private StoreDirectory storeDirectory; // opened on the first cache that keeps data on disk
  private volatile boolean closed;

  /**
   * Created by the provider only.
   *
   * @param onClose tells the provider to forget this manager
   */
  public TierCacheManager(CachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      Runnable onClose) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = new WeakReference<>(classLoader);
    this.properties = new Properties();
    if (properties != null) {
      this.properties.putAll(properties);
    }
    this.onClose = onClose;
    this.configuration = ConfigurationSource.load(uri, classLoader, System.getenv());
    ManagersOnShutdown.opened(this); // closed cleanly at JVM shutdown unless the application closes it first
  }

  /** Returns the configuration this manager's caches are built from. */
  ConfigurationSource configurationSource() {
    return configuration;
  }

  /**
   * Returns the locked directory of this manager's disk tiers, opening it on first use. The property
   * {@value #DIRECTORY_PROPERTY} given to {@code getCacheManager} wins over the configuration file.
   */
  synchronized StoreDirectory storeDirectory() {
    requireOpen();
    if (storeDirectory == null) {
      String property = properties.getProperty(DIRECTORY_PROPERTY);
      Path directory = property != null ? Paths.get(property) : configuration.directory(uri);
      storeDirectory = StoreDirectory.open(directory);
      LOG.info("Cache manager {} keeps its disk tiers in {}", uri, storeDirectory.root());
    }
    return storeDirectory;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader.get();
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    TierCacheConfiguration<K, V> adopted = CacheFactory.adopt(configuration);
    TierCache<?, ?>[] created = new TierCache<?, ?>[1];
    caches.computeIfAbsent(cacheName, name -> {
      created[0] = CacheFactory.create(this, name, adopted, () -> caches.remove(name, created[0]));
      return created[0];
    });
    if (created[0] == null) {
      throw new CacheException("Cache '" + cacheName + "' already exists in cache manager " + uri);
    }
    LOG.debug("Created cache '{}' in {}", cacheName, uri);
    @SuppressWarnings("unchecked")
    Cache<K, V> cache = (Cache<K, V>) created[0];
    return cache;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    TierCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    Configuration<?, ?> configuration = cache.getConfiguration(Configuration.class);
    if (configuration.getKeyType() != keyType) {
      throw new ClassCastException("Cache '" + cacheName + "' has keys of type "
          + configuration.getKeyType().getName() + ", not " + keyType.getName());
    }
    if (configuration.getValueType() != valueType) {
      throw new ClassCastException("Cache '" + cacheName + "' has values of type "
          + configuration.getValueType().getName() + ", not " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    TierCache<?, ?> cache = caches.get(cacheName);
    if (cache == null && configuration.declaredCaches().contains(cacheName)) {
      // caches the configuration file names are created on first use, like Caffeine's adapter does
      try {
        createCache(cacheName, new javax.cache.configuration.MutableConfiguration<>());
      } catch (CacheException failure) {
        if (caches.get(cacheName) == null) {
          throw failure; // not a race with another creator: the declared cache cannot be created
        }
      }
      cache = caches.get(cacheName);
    }
    return (Cache<K, V>) cache;
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    TierCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      if (cache.clearAndDestroyKeys()) {
        LOG.info("Destroyed the data key cache '{}' kept in its shared store: copies of its encrypted records"
            + " can no longer be read", cacheName);
      }
      cache.close();
    } else {
      destroyStored(cacheName);
    }
    destroyDataKey(cacheName);
  }

  /**
   * Crypto-shredding: an encrypted cache's data key is destroyed with it, so copies of its data made before
   * (backups, snapshots) can no longer be read by anyone. Both the configured and the default place are tried.
   */
  private void destroyDataKey(String cacheName) {
    String property = properties.getProperty(DIRECTORY_PROPERTY);
    Path directory = property != null ? Paths.get(property) : configuration.directory(uri);
    boolean destroyed = new io.tiercache.encryption.CacheEncryption(
        io.tiercache.encryption.EncryptionSettings.DISABLED, cacheName, directory).destroyDataKey();
    try {
      io.tiercache.encryption.EncryptionSettings configured = configuration.settingsFor(cacheName, Map.of())
          .encryption();
      destroyed |= new io.tiercache.encryption.CacheEncryption(configured, cacheName, directory).destroyDataKey();
    } catch (RuntimeException unreadable) {
      // the file's settings cannot be read for this cache: only the default place could be tried
    }
    if (destroyed) {
      LOG.info("Destroyed the data key of cache '{}': copies of its encrypted data can no longer be read",
          cacheName);
    }
  }

  /**
   * A cache this manager has not opened may still have records on disk from an earlier run: destroying it
   * deletes them too, as destroying it open would. A directory that does not exist is not created for this,
   * and one another manager or process holds is left alone, with a warning (its owner may be using the cache).
   */
  private void destroyStored(String cacheName) {
    String property = properties.getProperty(DIRECTORY_PROPERTY);
    Path directory = property != null ? Paths.get(property) : configuration.directory(uri);
    if (storeDirectory == null && !java.nio.file.Files.isDirectory(directory)) {
      return;
    }
    StoreDirectory store;
    try {
      store = storeDirectory();
    } catch (io.tiercache.tier.TierUnavailableException e) {
      LOG.warn("destroyCache('{}') leaves the cache's records on disk: {}", cacheName, e.getMessage());
      return;
    }
    boolean found = io.tiercache.tier.mapdb.MapDbTiers.destroy(store.mapDbFile(cacheName));
    if (java.nio.file.Files.isDirectory(store.rocksDb())) {
      try {
        found |= io.tiercache.tier.rocksdb.RocksDbTiers.destroy(store.rocksDb(), cacheName);
      } catch (io.tiercache.tier.TierUnavailableException e) {
        LOG.warn("destroyCache('{}') leaves the cache's RocksDB records on disk: {}", cacheName, e.getMessage());
      }
    }
    if (found) {
      LOG.info("Destroyed the records cache '{}' kept on disk in {}", cacheName, store.root());
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    TierCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    TierCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ManagersOnShutdown.closed(this);
    onClose.run();
    for (TierCache<?, ?> cache : new ArrayList<>(caches.values())) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing cache '{}' of {} failed", cache.getName(), uri, e);
      }
    }
    caches.clear();
    synchronized (this) {
      if (storeDirectory != null) {
        storeDirectory.close();
        storeDirectory = null;
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
    throw new IllegalArgumentException("A TierCacheManager cannot be unwrapped to " + type.getName());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache manager " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "TierCacheManager[" + uri + "]";
  }
}
