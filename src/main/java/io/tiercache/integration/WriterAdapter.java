package io.tiercache.integration;

import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * Calls the configured {@link CacheWriter} and wraps whatever it throws in a {@link CacheWriterException}.
 * Internal: not API.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WriterAdapter<K, V> {

  private final CacheWriter<? super K, ? super V> writer;
  private final CacheWriter<Object, Object> untyped; // the writer accepts every K and V, so this view is safe
  private final String cacheName;

  /**
   * @param writer the user's writer
   * @param cacheName the cache's name, for error messages
   */
  public WriterAdapter(CacheWriter<? super K, ? super V> writer, String cacheName) {
    this.writer = writer;
    @SuppressWarnings("unchecked")
    CacheWriter<Object, Object> view = (CacheWriter<Object, Object>) writer;
    this.untyped = view;
    this.cacheName = cacheName;
  }

  /** Returns the user's writer. */
  public CacheWriter<? super K, ? super V> writer() {
    return writer;
  }

  /** Writes one entry. */
  public void write(Cache.Entry<? extends K, ? extends V> entry) {
    try {
      writer.write(entry);
    } catch (RuntimeException e) {
      throw wrap("write", e);
    }
  }

  /** Writes several entries; on failure {@code entries} holds those that were not written. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    try {
      untyped.writeAll((Collection) entries);
    } catch (RuntimeException e) {
      throw wrap("writeAll", e);
    }
  }

  /** Deletes one key. */
  public void delete(Object key) {
    try {
      writer.delete(key);
    } catch (RuntimeException e) {
      throw wrap("delete", e);
    }
  }

  /** Deletes several keys; on failure {@code keys} holds those that were not deleted. */
  public void deleteAll(Collection<?> keys) {
    try {
      writer.deleteAll(keys);
    } catch (RuntimeException e) {
      throw wrap("deleteAll", e);
    }
  }

  private CacheWriterException wrap(String operation, RuntimeException e) {
    if (e instanceof CacheWriterException) {
      return (CacheWriterException) e;
    }
    return new CacheWriterException("CacheWriter of cache '" + cacheName + "' failed in " + operation
        + ": " + e, e);
  }
}
