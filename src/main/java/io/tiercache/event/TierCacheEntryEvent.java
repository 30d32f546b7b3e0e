package io.tiercache.event;

import io.tiercache.copy.Copier;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One event as a listener sees it. Values are copied on each read when the cache stores by value, so a
 * listener cannot change what the cache holds. For REMOVED and EXPIRED events {@link #getValue()} is the
 * value the entry had, as JSR-107 1.1 specifies.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class TierCacheEntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final transient K key;
  private final transient V value;
  private final transient V oldValue;
  private final boolean oldValueAvailable;
  private final transient Copier copier;
  private final transient ClassLoader classLoader;

  TierCacheEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue,
      boolean oldValueAvailable, Copier copier, ClassLoader classLoader) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValueAvailable ? oldValue : null;
    this.oldValueAvailable = oldValueAvailable;
    this.copier = copier;
    this.classLoader = classLoader;
  }

  @Override
  public K getKey() {
    return copier.copy(key, classLoader);
  }

  @Override
  public V getValue() {
    return copier.copy(value, classLoader);
  }

  @Override
  public V getOldValue() {
    return copier.copy(oldValue, classLoader);
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A cache entry event cannot be unwrapped to " + type.getName());
  }

  @Override
  public String toString() {
    return "CacheEntryEvent[" + getEventType() + ", key=" + key + "]";
  }
}
