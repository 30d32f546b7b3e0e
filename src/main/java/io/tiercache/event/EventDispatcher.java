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
 * <p>An operation brackets its work with {@link #begin()} and {@link #finish(boolean)}. Events it publishes
 * while it holds the key's lock are queued there, which fixes their per-key order, but each waits for the
 * operation's gate: {@code finish(true)} opens it once the change is applied, so a listener never sees the
 * cache before the change it is told about; {@code finish(false)} drops them, so a change that failed
 * (a writer or loader threw) is never announced. {@code finish(true)} then waits for the deliveries to
 * synchronous listeners and rethrows the first failure as a {@link CacheEntryListenerException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EventDispatcher<K, V> {

  private static final CompletableFuture<Void> OPEN_GATE = CompletableFuture.completedFuture(null);

  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Operation> operations = new ThreadLocal<>();
  private final Executor executor;
  private final Copier copier;
  private final java.util.function.Supplier<ClassLoader> classLoader;
  private volatile Cache<K, V> source;
  private volatile boolean active;
  /** Sticky: once a listener was registered, operations track their events even after it left. */
  private volatile boolean tracking;

  /** The events of one operation on one thread: the gate they wait for and the synchronous deliveries. */
  private static final class Operation {
    int depth;
    CompletableFuture<Void> gate;
    final List<CompletableFuture<Void>> synchronous = new ArrayList<>();
  }

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

  /** Returns true once any listener was ever registered: operations must then bracket their events. */
  public boolean isTracking() {
    return tracking;
  }

  /**
   * Registers a listener.
   *
   * @throws IllegalArgumentException if the same configuration is already registered
   */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        throw new IllegalArgumentException("This cache entry listener configuration is already registered with"
            + " cache '" + (source == null ? "?" : source.getName()) + "'");
      }
    }
    registrations.add(new Registration<>(configuration));
    tracking = true;
    active = true;
  }

  /** Deregisters a listener, waiting for its queued deliveries and closing it; unknown ones are ignored. */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    List<Registration<K, V>> removed = new ArrayList<>();
    synchronized (this) {
      for (Registration<K, V> registration : registrations) {
        if (registration.configuration().equals(configuration)) {
          removed.add(registration);
        }
      }
      registrations.removeAll(removed);
      active = !registrations.isEmpty();
    }
    // outside the monitor: a delivery still running may itself register or deregister
    for (Registration<K, V> registration : removed) {
      registration.drain();
      registration.close();
    }
  }

  /** Returns the registered configurations, in registration order. */
  public List<CacheEntryListenerConfiguration<K, V>> configurations() {
    List<CacheEntryListenerConfiguration<K, V>> configurations = new ArrayList<>();
    for (Registration<K, V> registration : registrations) {
      configurations.add(registration.configuration());
    }
    return configurations;
  }

  /** Starts an operation on this thread; nested operations join the outermost one. */
  public void begin() {
    if (!tracking) {
      return;
    }
    Operation operation = operations.get();
    if (operation == null) {
      operation = new Operation();
      operations.set(operation);
    }
    operation.depth++;
  }

  /**
   * Ends an operation. When the outermost one ends, its events are released ({@code applied}) or dropped,
   * and on success the synchronous deliveries are awaited.
   *
   * @throws CacheEntryListenerException the first exception a synchronous listener threw
   */
  public void finish(boolean applied) {
    Operation operation = operations.get();
    if (operation == null || --operation.depth > 0) {
      return;
    }
    operations.remove();
    if (operation.gate != null) {
      if (applied) {
        operation.gate.complete(null);
      } else {
        operation.gate.cancel(false);
      }
    }
    if (applied) {
      await(operation.synchronous);
    }
  }

  /** Publishes a CREATED event. */
  public void created(K key, V value) {
    publish(EventType.CREATED, key, value, null, true);
  }

  /** Publishes an UPDATED event. */
  public void updated(K key, V oldValue, V newValue) {
    publish(EventType.UPDATED, key, newValue, oldValue, true);
  }

  /** Publishes a REMOVED event; the event's value is the removed one. */
  public void removed(K key, V oldValue) {
    publish(EventType.REMOVED, key, oldValue, oldValue, true);
  }

  /** Publishes an EXPIRED event for an entry an operation found expired. */
  public void expired(K key, V oldValue) {
    publish(EventType.EXPIRED, key, oldValue, oldValue, true);
  }

  /**
   * Publishes an EXPIRED event for an entry a tier reclaimed on its own. Delivered asynchronously to every
   * listener: the reclamation may run inside another key's operation, which must not wait for it.
   */
  public void reclaimed(K key, V oldValue) {
    publish(EventType.EXPIRED, key, oldValue, oldValue, false);
  }

  /**
   * Publishes an event of a change another process made to a shared tier: delivered asynchronously to every
   * listener, synchronous ones included, since no operation of this process waits for it.
   *
   * @param value the new value (CREATED, UPDATED) or the old one (REMOVED, EXPIRED)
   * @param oldValue the old value, or null
   */
  public void remote(EventType type, K key, V value, V oldValue) {
    publish(type, key, value, oldValue, false);
  }

  private void publish(EventType type, K key, V value, V oldValue, boolean partOfOperation) {
    if (!active) {
      return;
    }
    Operation operation = partOfOperation ? operations.get() : null;
    CompletableFuture<Void> gate = OPEN_GATE;
    if (operation != null) {
      if (operation.gate == null) {
        operation.gate = new CompletableFuture<>();
      }
      gate = operation.gate;
    }
    for (Registration<K, V> registration : registrations) {
      if (!registration.listensTo(type)) {
        continue;
      }
      boolean withOldValue = oldValue != null
          && (registration.isOldValueRequired() || type == EventType.REMOVED || type == EventType.EXPIRED);
      CacheEntryEvent<K, V> event = new TierCacheEntryEvent<>(
          source, type, key, value, oldValue, withOldValue, copier, classLoader.get());
      CompletableFuture<Void> delivery = registration.enqueue(key, event, executor, gate);
      if (operation != null && registration.isSynchronous()) {
        operation.synchronous.add(delivery);
      }
    }
  }

  private static void await(List<CompletableFuture<Void>> futures) {
    RuntimeException failure = null;
    for (CompletableFuture<Void> future : futures) {
      try {
        future.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        if (failure == null) {
          failure = asListenerException(cause);
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException asListenerException(Throwable cause) {
    if (cause instanceof CacheEntryListenerException) {
      return (CacheEntryListenerException) cause;
    }
    return new CacheEntryListenerException("A synchronous cache entry listener failed: " + cause, cause);
  }

  /** Waits for queued deliveries (bounded) and closes every listener; used when the cache closes. */
  public void close() {
    List<Registration<K, V>> closing;
    synchronized (this) {
      closing = new ArrayList<>(registrations);
      registrations.clear();
      active = false;
    }
    for (Registration<K, V> registration : closing) {
      registration.drain();
      registration.close();
    }
  }
}
