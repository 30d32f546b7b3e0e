package io.tiercache;

import io.tiercache.event.EventDispatcher;
import io.tiercache.tier.Envelope;
import javax.cache.event.EventType;

/**
 * Turns a change another process committed to a shared tier into the JCache events this process's listeners
 * hear, by the rules the operations themselves follow: a value written over a live entry is an update, over
 * nothing or over an expired entry a creation (after the expiry of the old one); a removal of a live entry is
 * a removal, of an expired one an expiry. "Live" is judged at the time the other process made the change.
 */
final class RemoteEvents {

  private RemoteEvents() { }

  static <K, V> void publish(EventDispatcher<K, V> events, K key, Envelope old, Envelope current, long at) {
    boolean oldLive = old != null && !old.isExpired(at);
    if (current != null) {
      if (oldLive) {
        events.remote(EventType.UPDATED, key, CacheContext.valueOf(current), CacheContext.valueOf(old));
        return;
      }
      if (old != null) {
        events.remote(EventType.EXPIRED, key, CacheContext.valueOf(old), CacheContext.valueOf(old));
      }
      events.remote(EventType.CREATED, key, CacheContext.valueOf(current), null);
    } else if (old != null) {
      EventType type = oldLive ? EventType.REMOVED : EventType.EXPIRED;
      events.remote(type, key, CacheContext.valueOf(old), CacheContext.valueOf(old));
    }
  }
}
