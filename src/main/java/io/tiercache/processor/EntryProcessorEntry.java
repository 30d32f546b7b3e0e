package io.tiercache.processor;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The {@link MutableEntry} an {@code EntryProcessor} works on. It records what the processor did, so the
 * cache can apply only the net effect once the processor returns: creating then removing an entry is no
 * change at all, and the writer, the events and the expiry policy see exactly one outcome. Internal: not
 * API.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** The net effect of a processor on its entry. */
  public enum Outcome {
    /** Nothing was read or changed. */
    NONE,
    /** The existing value was read. */
    READ,
    /** The value was loaded by read-through and not changed afterwards. */
    LOADED,
    /** An absent entry was given a value. */
    CREATED,
    /** An existing entry was given a new value. */
    UPDATED,
    /** The entry was removed (when it existed before the processor ran, a real removal). */
    REMOVED
  }

  private final K key;
  private final boolean existedBefore;
  private final Function<K, V> loader;
  private V value;
  private boolean exists;
  private Outcome outcome = Outcome.NONE;

  /**
   * @param key the entry's key
   * @param value the current value, or null when absent
   * @param loader loads the value on {@link #getValue()} of an absent entry under read-through; or null
   */
  public EntryProcessorEntry(K key, V value, Function<K, V> loader) {
    this.key = key;
    this.value = value;
    this.exists = value != null;
    this.existedBefore = exists;
    this.loader = loader;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (exists) {
      if (outcome == Outcome.NONE) {
        outcome = Outcome.READ;
      }
      return value;
    }
    if (loader != null && outcome == Outcome.NONE) {
      V loaded = loader.apply(key);
      if (loaded != null) {
        value = loaded;
        exists = true;
        outcome = Outcome.LOADED;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return exists;
  }

  @Override
  public void remove() {
    value = null;
    exists = false;
    // removing what this processor created or loaded nets out to nothing; any other remove is a removal,
    // which write-through reports to the writer even for an absent entry
    outcome = outcome == Outcome.CREATED || outcome == Outcome.LOADED ? Outcome.NONE : Outcome.REMOVED;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "an entry processor cannot set a null value; use remove()");
    value = newValue;
    exists = true;
    outcome = existedBefore ? Outcome.UPDATED : Outcome.CREATED;
  }

  /** Returns true when the entry existed before the processor ran. */
  public boolean existedBefore() {
    return existedBefore;
  }

  /** Returns the net effect of the processor so far. */
  public Outcome outcome() {
    return outcome;
  }

  /** Returns the value the entry holds now (null when absent). */
  public V currentValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A mutable entry cannot be unwrapped to " + type.getName());
  }
}
