package io.tiercache.event;

import io.tiercache.copy.Copier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;

/**
 * Delivers a cache's entry events to its registered listeners. Internal: not API.
 *
 * <p>Operations publish while they still hold the key's lock, which fixes the per-key order; delivery
 * itself runs on the executor, never under the lock. Deliveries to synchronous listeners are remembered per
 * thread and {@link #awaitSynchronous() awaited} by the operation before it returns, so a synchronous
 * listener has seen the event, and any exception it threw reaches the caller, when the call returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EventDispatcher<K, V> {

  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final ThreadLocal<List<CompletableFuture<Void>>> pending = ThreadLocal.withInitial(ArrayList::new);
  private final Executor executor;
  private final Copier copier;
  private final java.util.function.Supplier<ClassLoader> classLoader;
  private volatile Cache<K, V> source;
  private volatile boolean active;

  /**
   * @param executor runs deliveries
   * @param copier copies values handed to listeners
   * @param classLoader supplies the cache's class loader
   */
  public EventDispatcher(Executor executor, Copier copier,
      java.util.function.Supplier<ClassLoader> classLoader) {
    this.executor = executor;
    this.copier = copier;
    this.classLoader = classLoader;
  }

  /** Sets the cache named as the source of every event. */
  public void setSource(Cache<K, V> source) {
    this.source = source;
  }

  /** Returns true when at least one listener is registered: the cheap check on every hot path. */
  public boolean isActive() {
    return active;
  }

  /**
   * Registers a listener.
   *
   * @throws IllegalArgumentException if the same configuration is already registered
   */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        throw new IllegalArgumentException("This cache entry listener configuration is already registered");
      }
    }
    registrations.add(new Registration<>(configuration));
    active = true;
  }

  /** Deregisters a listener, waiting for its queued deliveries and closing it; unknown ones are ignored. */
  public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        registrations.remove(registration);
        registration.drain();
        registration.close();
      }
    }
    active = !registrations.isEmpty();
  }

  /** Returns the registered configurations, in registration order. */
  public List<CacheEntryListenerConfiguration<K, V>> configurations() {
    List<CacheEntryListenerConfiguration<K, V>> configurations = new ArrayList<>();
    for (Registration<K, V> registration : registrations) {
      configurations.add(registration.configuration());
    }
    return configurations;
  }

  /** Publishes a CREATED event. */
  public void created(K key, V value) {
    publish(EventType.CREATED, key, value, null);
  }

  /** Publishes an UPDATED event. */
  public void updated(K key, V oldValue, V newValue) {
    publish(EventType.UPDATED, key, newValue, oldValue);
  }

  /** Publishes a REMOVED event; the event's value is the removed one. */
  public void removed(K key, V oldValue) {
    publish(EventType.REMOVED, key, oldValue, oldValue);
  }

  /** Publishes an EXPIRED event for an entry an operation found expired. */
  public void expired(K key, V oldValue) {
    publish(EventType.EXPIRED, key, oldValue, oldValue);
  }

  /**
   * Publishes an EXPIRED event for an entry a tier reclaimed on its own. Tiers reclaim on the thread of
   * the cache operation that triggered their maintenance, so that operation awaits synchronous listeners as
   * for any other event it caused.
   */
  public void reclaimed(K key, V oldValue) {
    publish(EventType.EXPIRED, key, oldValue, oldValue);
  }

  private void publish(EventType type, K key, V value, V oldValue) {
    if (!active) {
      return;
    }
    for (Registration<K, V> registration : registrations) {
      if (!registration.listensTo(type)) {
        continue;
      }
      boolean withOldValue = oldValue != null
          && (registration.isOldValueRequired() || type == EventType.REMOVED || type == EventType.EXPIRED);
      CacheEntryEvent<K, V> event = new TierCacheEntryEvent<>(
          source, type, key, value, oldValue, withOldValue, copier, classLoader.get());
      CompletableFuture<Void> delivery = registration.enqueue(key, event, executor);
      if (registration.isSynchronous()) {
        pending.get().add(delivery);
      }
    }
  }

  /**
   * Waits for the deliveries this thread queued for synchronous listeners.
   *
   * @throws CacheEntryListenerException the first exception a synchronous listener threw
   */
  public void awaitSynchronous() {
    if (!active) {
      return;
    }
    List<CompletableFuture<Void>> futures = pending.get();
    if (futures.isEmpty()) {
      return;
    }
    RuntimeException failure = null;
    try {
      for (CompletableFuture<Void> future : futures) {
        try {
          future.join();
        } catch (CompletionException e) {
          if (failure == null) {
            failure = asListenerException(e.getCause());
          }
        }
      }
    } finally {
      futures.clear();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Forgets the deliveries this thread queued, after an operation failed and will not await them. */
  public void discardPending() {
    if (active) {
      pending.get().clear();
    }
  }

  private static RuntimeException asListenerException(Throwable cause) {
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    if (cause instanceof CacheEntryListenerException) {
      return (CacheEntryListenerException) cause;
    }
    return new CacheEntryListenerException("A synchronous cache entry listener failed: " + cause, cause);
  }

  /** Waits for all queued deliveries and closes every listener; used when the cache closes. */
  public synchronized void close() {
    for (Registration<K, V> registration : registrations) {
      registration.drain();
      registration.close();
    }
    registrations.clear();
    active = false;
  }
}
