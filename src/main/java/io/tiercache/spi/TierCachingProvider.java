package io.tiercache.spi;

import io.tiercache.TierCacheManager;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * tiercache's JSR-107 {@link CachingProvider}, registered as a service so that
 * {@code Caching.getCachingProvider()} finds it. It keeps one {@link CacheManager} per (URI, ClassLoader);
 * class loaders are held weakly, so an application that is undeployed takes its managers with it.
 */
public final class TierCachingProvider implements CachingProvider {

  /** The URI of the default cache manager. */
  public static final URI DEFAULT_URI = URI.create("tiercache:default");

  private final Map<ClassLoader, Map<URI, TierCacheManager>> managers = new WeakHashMap<>();

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader managerLoader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties managerProperties = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, TierCacheManager> byUri = managers.computeIfAbsent(managerLoader, loader -> new HashMap<>());
      TierCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        // the release callback must not hold the loader strongly, or the weak map could never drop it
        WeakReference<ClassLoader> loaderReference = new WeakReference<>(managerLoader);
        manager = new TierCacheManager(this, managerUri, managerLoader, managerProperties,
            () -> release(managerUri, loaderReference.get()));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  private void release(URI uri, ClassLoader classLoader) {
    if (classLoader == null) {
      return; // already collected, and the weak map has dropped its managers with it
    }
    synchronized (managers) {
      Map<URI, TierCacheManager> byUri = managers.get(classLoader);
      if (byUri != null) {
        TierCacheManager manager = byUri.get(uri);
        if (manager != null && manager.isClosed()) {
          byUri.remove(uri);
        }
        if (byUri.isEmpty()) {
          managers.remove(classLoader);
        }
      }
    }
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public void close() {
    for (TierCacheManager manager : snapshot(null, null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    for (TierCacheManager manager : snapshot(classLoader == null ? getDefaultClassLoader() : classLoader, null)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    URI managerUri = uri == null ? getDefaultURI() : uri;
    for (TierCacheManager manager : snapshot(loader, managerUri)) {
      manager.close();
    }
  }

  /** The managers to close, copied so that closing (which calls back into release) cannot disturb the walk. */
  private Iterable<TierCacheManager> snapshot(ClassLoader classLoader, URI uri) {
    java.util.List<TierCacheManager> selected = new java.util.ArrayList<>();
    synchronized (managers) {
      for (Map.Entry<ClassLoader, Map<URI, TierCacheManager>> byLoader : managers.entrySet()) {
        if (classLoader != null && byLoader.getKey() != classLoader) {
          continue;
        }
        for (Map.Entry<URI, TierCacheManager> byUri : byLoader.getValue().entrySet()) {
          if (uri == null || byUri.getKey().equals(uri)) {
            selected.add(byUri.getValue());
          }
        }
      }
    }
    return selected;
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return optionalFeature == OptionalFeature.STORE_BY_REFERENCE;
  }
}
