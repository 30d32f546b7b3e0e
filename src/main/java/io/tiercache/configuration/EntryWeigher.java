package io.tiercache.configuration;

/**
 * Weighs an entry for a weight-bounded heap tier, for example by its approximate size in bytes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface EntryWeigher<K, V> {

  /**
   * Returns the weight of an entry; called when the entry is stored, never again while it is unchanged.
   *
   * @return a weight of zero or more
   */
  int weigh(K key, V value);
}
