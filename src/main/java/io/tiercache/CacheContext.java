package io.tiercache;

import io.tiercache.copy.Copier;
import io.tiercache.event.EventDispatcher;
import io.tiercache.expiry.ExpiryCalculator;
import io.tiercache.integration.LoaderAdapter;
import io.tiercache.integration.WriterAdapter;
import io.tiercache.management.CacheStatistics;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.Tier;
import java.util.concurrent.Executor;
import javax.cache.Cache;

/**
 * Everything the operations of one cache share: its tier, policies, listeners and statistics. The operation
 * classes are written against this, never against a particular tier, so each JCache operation exists once.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheContext<K, V> {

  final String name;
  final Tier<K> tier;
  final ExpiryCalculator expiry;
  final EventDispatcher<K, V> events;
  final CacheStatistics statistics;
  final Copier copier;
  /** False for store-by-reference caches, whose reads and writes then skip the copier entirely. */
  private final boolean storeByValue;
  private final java.lang.ref.WeakReference<ClassLoader> classLoader;
  final LoaderAdapter<K, V> loader;      // null unless a loader is configured
  final WriterAdapter<K, V> writer;      // null unless write-through
  final boolean readThrough;
  final Executor executor;
  final Class<K> keyType;
  final Class<V> valueType;
  Cache<K, V> cache;

  CacheContext(String name, Tier<K> tier, ExpiryCalculator expiry, EventDispatcher<K, V> events,
      CacheStatistics statistics, Copier copier, java.lang.ref.WeakReference<ClassLoader> classLoader, LoaderAdapter<K, V> loader,
      WriterAdapter<K, V> writer, boolean readThrough, Executor executor, Class<K> keyType, Class<V> valueType) {
    this.name = name;
    this.tier = tier;
    this.expiry = expiry;
    this.events = events;
    this.statistics = statistics;
    this.copier = copier;
    this.storeByValue = copier != Copier.identity();
    this.classLoader = classLoader;
    this.loader = loader;
    this.writer = writer;
    this.readThrough = readThrough && loader != null;
    this.executor = executor;
    this.keyType = keyType;
    this.valueType = valueType;
  }

  /** Takes the cache's health snapshots; set once by the factory. */
  HealthReport health;

  /** Counts lookups and each tier's own removals, always; set once by the factory. */
  TierMeters meters = new TierMeters();

  /** Returns true when {@code envelope} holds a mapping that has not expired at {@code now}. */
  static boolean isLive(Envelope envelope, long now) {
    return envelope != null && !envelope.isExpired(now);
  }

  /** Returns the stored value of an envelope, as the cache's value type. */
  @SuppressWarnings("unchecked")
  static <V> V valueOf(Envelope envelope) {
    return (V) envelope.value();
  }

  /** Returns the value of a prepared write, as the cache's value type. */
  @SuppressWarnings("unchecked")
  static <V> V valueOf(Prepared prepared) {
    return (V) prepared.value();
  }

  /** Returns a copy of a stored value for a caller (identity when storing by reference). */
  V copyOut(Envelope envelope) {
    if (!storeByValue || envelope.isPrivateCopy()) {
      return valueOf(envelope); // by reference, or freshly deserialized for this caller: nobody shares it
    }
    return copier.copy(valueOf(envelope), classLoader.get());
  }

  /**
   * Prepares a caller's value for the tier, before any writer or listener hears of it: serialized once where
   * it is stored as bytes (the bytes are the store-by-value copy), placed once in a composite. A copy is made
   * only where the cache keeps the object itself, or where a listener may read the value after the caller
   * regains it.
   *
   * @throws javax.cache.CacheException (via the tier's own exception, translated at the cache's boundary) if
   *     the tier cannot store the value
   */
  Prepared prepare(K key, V value) {
    Prepared prepared = tier.prepare(key, value);
    if (storeByValue && (prepared.keepsObject() || events.isTracking())) {
      return prepared.withValue(copier.copy(value, classLoader.get()));
    }
    return prepared;
  }

  /** Returns the copy of a caller's key or value that the cache stores. */
  <T> T copyIn(T object) {
    return copier.copy(object, classLoader.get());
  }

  /**
   * Handles a record found expired inside a compute: publishes its EXPIRED event. The caller then treats
   * the key as absent.
   */
  void expiredInCompute(K key, Envelope envelope) {
    if (events.isTracking()) { // the old value is decoded only when a listener may hear of it
      events.expired(key, valueOf(envelope));
    }
  }

  /**
   * Decodes the old value of a record now, inside the compute and before any writer or listener hears of the
   * change, when the operation will hand it out (returned to the caller, or in an event): a record that no
   * longer decodes then fails the operation before it has had any effect. Records decode lazily otherwise.
   */
  void decodeBeforeEffects(Envelope current, boolean returned) {
    if (current != null && (returned || events.isTracking())) {
      current.value();
    }
  }

  /** Publishes a REMOVED event inside a compute; the old value is decoded only when a listener may hear it. */
  void removed(K key, Envelope old) {
    if (events.isTracking()) {
      events.removed(key, valueOf(old));
    }
  }

  /** Publishes an UPDATED event inside a compute; the old value is decoded only when a listener may hear it. */
  void updated(K key, Envelope old, Prepared stored) {
    if (events.isTracking()) {
      events.updated(key, valueOf(old), valueOf(stored));
    }
  }

  /** Removes a record found expired outside a compute, if it is still the one found, and publishes it. */
  void expire(K key, Envelope found) {
    tier.compute(key, (k, current) -> {
      if (found.sameRecord(current)) {
        expiredInCompute(k, current);
        return null;
      }
      return current;
    });
  }

  /**
   * Applies the expiry-for-access rule to a live record that was just read.
   */
  void touch(K key, Envelope envelope, long now) {
    if (expiry.isEternal()) {
      return; // the eternal policy never changes an expiry: skip the call on the hot path
    }
    long expireAt = expiry.forAccess(now);
    if (expireAt != ExpiryCalculator.UNCHANGED && expireAt != envelope.expireAtMillis()) {
      tier.updateExpiry(key, envelope, expireAt);
    }
  }

  /** Calls the writer for a new or changed entry, when write-through is on. */
  void write(K key, V value) {
    if (writer != null) {
      writer.write(new CacheEntry<>(key, value));
    }
  }

  /** Calls the writer for a removed key, when write-through is on. */
  void delete(K key) {
    if (writer != null) {
      writer.delete(key);
    }
  }

  /** Checks a key against the configured key type, as JSR-107's runtime type checking requires. */
  void checkKeyType(Object key) {
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("Cache '" + name + "' is configured for keys of type " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
  }

  /** Checks a value against the configured value type. */
  void checkValueType(Object value) {
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("Cache '" + name + "' is configured for values of type "
          + valueType.getName() + ", not " + value.getClass().getName());
    }
  }
}
