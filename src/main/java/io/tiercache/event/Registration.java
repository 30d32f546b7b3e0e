package io.tiercache.event;

import java.io.Closeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered listener with its filter and its per-key delivery chains. Each key's events reach the
 * listener in the order the cache applied them, while different keys are delivered in parallel.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Registration<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
  private static final long DRAIN_SECONDS = 30;
  /** The registration whose listener this thread is running, if any. */
  private static final ThreadLocal<Object> DELIVERING = new ThreadLocal<>();

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final ConcurrentMap<Object, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

  Registration(CacheEntryListenerConfiguration<K, V> configuration) {
    this.configuration = configuration;
    Factory<? extends CacheEntryListener<? super K, ? super V>> listenerFactory =
        configuration.getCacheEntryListenerFactory();
    if (listenerFactory == null) {
      throw new IllegalArgumentException("CacheEntryListenerConfiguration has no listener factory");
    }
    this.listener = listenerFactory.create();
    Factory<? extends CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean isSynchronous() {
    return configuration.isSynchronous();
  }

  boolean isOldValueRequired() {
    return configuration.isOldValueRequired();
  }

  boolean listensTo(EventType type) {
    switch (type) {
      case CREATED:
        return listener instanceof CacheEntryCreatedListener;
      case UPDATED:
        return listener instanceof CacheEntryUpdatedListener;
      case REMOVED:
        return listener instanceof CacheEntryRemovedListener;
      case EXPIRED:
        return listener instanceof CacheEntryExpiredListener;
      default:
        return false;
    }
  }

  /**
   * Appends delivery of {@code event} to its key's chain and returns the future of that delivery. The
   * delivery waits for {@code gate}, which the publishing operation completes once its change is applied, or
   * cancels when the change failed; a cancelled gate drops the event.
   *
   * <p>A listener that causes an event of its own registration (a synchronous listener writing to the
   * cache) would wait behind its own delivery for ever; such nested events are delivered at once, on the
   * listener's thread, after their gate.
   */
  CompletableFuture<Void> enqueue(Object key, CacheEntryEvent<K, V> event, Executor executor,
      CompletableFuture<Void> gate) {
    if (DELIVERING.get() == this) {
      return gate.handle((ignored, cancelled) -> {
        if (!gate.isCancelled()) {
          deliver(event);
        }
        return null;
      });
    }
    CompletableFuture<Void>[] appended = newFutureHolder();
    chains.compute(key, (k, previous) -> {
      // handle: a failed delivery must not stop the ones after it
      CompletableFuture<Void> ready = previous == null ? gate
          : previous.handle((ignored, failure) -> null).thenCompose(ignored -> gate);
      CompletableFuture<Void> next = ready.handleAsync((ignored, failure) -> {
        if (!gate.isCancelled()) {
          deliverMarked(event);
        }
        return null;
      }, executor);
      appended[0] = next;
      return next;
    });
    CompletableFuture<Void> future = appended[0];
    future.whenComplete((ignored, failure) -> {
      chains.remove(key, future);
      if (failure != null && !configuration.isSynchronous()) {
        // nobody waits for an asynchronous delivery, so its failure is logged here or nowhere
        LOG.warn("Asynchronous listener {} failed on a {} event", listener.getClass().getName(),
            event.getEventType(), failure);
      }
    });
    return future;
  }

  private void deliverMarked(CacheEntryEvent<K, V> event) {
    Object outer = DELIVERING.get();
    DELIVERING.set(this);
    try {
      deliver(event);
    } finally {
      DELIVERING.set(outer);
    }
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Void>[] newFutureHolder() {
    return new CompletableFuture[1];
  }

  /**
   * Waits, for a bounded time, for every queued delivery; used when the listener is deregistered or the cache
   * closes. A listener deregistering itself (or closing its cache) does not wait for its own delivery.
   */
  void drain() {
    if (DELIVERING.get() == this) {
      return;
    }
    for (CompletableFuture<Void> future : chains.values()) {
      try {
        future.handle((r, e) -> null).get(DRAIN_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("Listener {} did not finish its deliveries within {} s; closing it anyway",
            listener.getClass().getName(), DRAIN_SECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        // handled above: the handle() stage never fails
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void deliver(CacheEntryEvent<K, V> event) {
    if (filter != null && !filter.evaluate(event)) {
      return;
    }
    Iterable<CacheEntryEvent<? extends K, ? extends V>> events = java.util.List.of(event);
    switch (event.getEventType()) {
      case CREATED:
        ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
        break;
      case UPDATED:
        ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
        break;
      case REMOVED:
        ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
        break;
      case EXPIRED:
        ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
        break;
      default:
        throw new IllegalStateException("unknown event type " + event.getEventType());
    }
  }

  /** Closes the listener and filter if they are {@link Closeable}. */
  void close() {
    closeQuietly(listener);
    closeQuietly(filter);
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable) {
      try {
        ((AutoCloseable) resource).close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", resource, e);
      }
    }
  }
}
