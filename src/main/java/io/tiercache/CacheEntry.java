package io.tiercache;

import javax.cache.Cache;

/**
 * A key and value as handed out by the cache's iterator and to writers. Immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  CacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A cache entry cannot be unwrapped to " + type.getName());
  }

  @Override
  public String toString() {
    return "CacheEntry[" + key + "=" + value + "]";
  }
}
