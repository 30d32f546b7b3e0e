package io.tiercache;

import io.tiercache.expiry.ExpiryCalculator;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Prepared;

/**
 * The two ways an operation changes a live mapping, shared by every writing operation so that expiry and
 * events are applied the same way everywhere. Each method runs inside the key's compute.
 */
final class Mutations {

  private Mutations() { }

  /**
   * Returns the record of a new entry and publishes its CREATED event, or returns null without an event
   * when the expiry policy gives it no lifetime ({@code Duration.ZERO}).
   *
   * @param stored the value as {@link CacheContext#prepare} prepared it for the tier
   */
  static <K, V> Envelope create(CacheContext<K, V> context, K key, Prepared stored) {
    long now = context.expiry.now(); // read after the loader or writer ran, so their latency costs no lifetime
    long expireAt = context.expiry.forCreation(now);
    if (expireAt <= now) {
      return null;
    }
    context.events.created(key, CacheContext.valueOf(stored));
    return stored.envelope(expireAt);
  }

  /**
   * Returns the record of a live entry given a new value, and publishes its UPDATED event. An update whose
   * policy gives {@code Duration.ZERO} is stored already expired, so the next access finds it gone.
   */
  static <K, V> Envelope update(CacheContext<K, V> context, K key, Envelope current, Prepared stored) {
    long now = context.expiry.now();
    long expireAt = context.expiry.forUpdate(now);
    if (expireAt == ExpiryCalculator.UNCHANGED) {
      expireAt = current.expireAtMillis();
    }
    context.updated(key, current, stored);
    return stored.envelope(expireAt);
  }

  /**
   * Returns the record of a write that creates or updates: an update of a live entry, otherwise (announcing the
   * expiry of an expired one first) a creation.
   */
  static <K, V> Envelope upsert(CacheContext<K, V> context, K key, Envelope current, Prepared stored,
      long now) {
    if (CacheContext.isLive(current, now)) {
      return update(context, key, current, stored);
    }
    if (current != null) {
      context.expiredInCompute(key, current);
    }
    return create(context, key, stored);
  }

  /**
   * Returns the record after an access of a live entry inside a compute: the same record, or one with the
   * expiry instant the access policy gives.
   */
  static Envelope access(CacheContext<?, ?> context, Envelope current, long now) {
    long expireAt = context.expiry.forAccess(now);
    if (expireAt == ExpiryCalculator.UNCHANGED || expireAt == current.expireAtMillis()) {
      return current;
    }
    return current.withExpireAt(expireAt);
  }
}
