package io.tiercache.integration;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * Calls the configured {@link CacheLoader} and wraps whatever it throws in a {@link CacheLoaderException}, as
 * JSR-107 requires. Internal: not API.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LoaderAdapter<K, V> {

  private final CacheLoader<K, V> loader;
  private final String cacheName;

  /**
   * @param loader the user's loader
   * @param cacheName the cache's name, for error messages
   */
  public LoaderAdapter(CacheLoader<K, V> loader, String cacheName) {
    this.loader = loader;
    this.cacheName = cacheName;
  }

  /** Returns the user's loader. */
  public CacheLoader<K, V> loader() {
    return loader;
  }

  /** Loads one value; null when the loader has none. */
  public V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader of cache '" + cacheName + "' failed to load a "
          + key.getClass().getName() + " key: " + e, e);
    }
  }

  /** Loads several values; the map may lack keys or hold null values for keys the loader has none for. */
  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader of cache '" + cacheName + "' failed in loadAll: " + e, e);
    }
  }
}
