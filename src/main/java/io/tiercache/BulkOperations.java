package io.tiercache;

import static io.tiercache.CacheContext.isLive;
import static io.tiercache.CacheContext.valueOf;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.UndecodableRecordException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;

/**
 * The operations on many keys: getAll, putAll, removeAll, loadAll. Writers and loaders are called once per
 * batch; when a batch writer fails part-way, exactly the entries it reports as written are applied to the
 * cache and the failure is rethrown, so the cache and the system of record stay in step.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class BulkOperations<K, V> {

  /** How long closing a cache waits for loadAll calls still running. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BulkOperations.class);

  private final CacheContext<K, V> context;
  private final Set<CompletableFuture<Void>> runningLoads = ConcurrentHashMap.newKeySet();

  BulkOperations(CacheContext<K, V> context) {
    this.context = context;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    Map<K, V> result = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    Map<K, Envelope> found = context.tier.getAll(keys);
    for (K key : keys) {
      Envelope envelope = found.get(key);
      V value = null;
      if (isLive(envelope, now)) {
        try {
          value = context.copyOut(envelope);
        } catch (UndecodableRecordException dropped) {
          envelope = null; // the tier dropped it: for this call and every later one the key is absent
        }
      }
      if (value != null) {
        context.touch(key, envelope, now);
        result.put(key, value);
      } else {
        if (envelope != null) {
          context.expire(key, envelope);
        }
        missing.add(key);
      }
    }
    context.statistics.recordHits(result.size());
    context.statistics.recordMisses(missing.size());
    context.meters.hits(result.size());
    context.meters.misses(missing.size());
    if (context.readThrough && !missing.isEmpty()) {
      Map<K, V> loaded = context.loader.loadAll(missing);
      for (Map.Entry<K, V> entry : loaded.entrySet()) {
        K key = entry.getKey();
        V value = entry.getValue();
        if (key != null && value != null) {
          context.checkValueType(value);
          storeLoaded(key, value, false, now);
          result.put(key, value);
        }
      }
    }
    // averages divide total time by the count of keys, so a batch adds its elapsed time once
    context.statistics.recordGetTime(start);
    return result;
  }

  /** Stores a loaded value: created when absent, replaced only if {@code replaceExisting}. */
  private void storeLoaded(K key, V value, boolean replaceExisting, long now) {
    K storedKey = context.copyIn(key);
    context.tier.compute(storedKey, (k, current) -> {
      if (isLive(current, now) && !replaceExisting) {
        return current;
      }
      return Mutations.upsert(context, k, current, context.prepare(k, value), now);
    });
  }

  void putAll(Map<? extends K, ? extends V> entries) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    RuntimeException failure = null;
    // prepare everything first: a value that cannot be stored is refused before the writer hears of any
    Map<K, K> storedKeys = new LinkedHashMap<>();
    Map<K, Prepared> stored = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
      K storedKey = context.copyIn(entry.getKey());
      storedKeys.put(entry.getKey(), storedKey);
      stored.put(entry.getKey(), context.prepare(storedKey, entry.getValue()));
    }
    Collection<? extends K> toStore = entries.keySet();
    if (context.writer != null) {
      List<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>(entries.size());
      for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
        pending.add(new CacheEntry<>(entry.getKey(), entry.getValue()));
      }
      try {
        context.writer.writeAll(pending);
      } catch (RuntimeException e) {
        failure = e;
        Set<K> notWritten = new LinkedHashSet<>();
        for (Cache.Entry<? extends K, ? extends V> entry : pending) {
          notWritten.add(entry.getKey());
        }
        List<K> written = new ArrayList<>();
        for (K key : entries.keySet()) {
          if (!notWritten.contains(key)) {
            written.add(key);
          }
        }
        toStore = written;
      }
    }
    int puts = 0;
    for (K key : toStore) {
      Prepared value = stored.get(key);
      // per key: an old record that no longer decodes is dropped, and this key's write runs again on its own
      Envelope after = StorageFailures.retryingUndecodable(() -> context.tier.compute(storedKeys.get(key),
          (k, current) -> Mutations.upsert(context, k, current, value, now)));
      if (after != null) {
        puts++;
      }
    }
    context.statistics.recordPuts(puts);
    context.statistics.recordPutTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  void removeAll(Set<? extends K> keys) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    RuntimeException failure = null;
    Collection<? extends K> toRemove = keys;
    if (context.writer != null) {
      Set<K> pending = new LinkedHashSet<>(keys);
      try {
        context.writer.deleteAll(pending);
      } catch (RuntimeException e) {
        failure = e;
        List<K> deleted = new ArrayList<>();
        for (K key : keys) {
          if (!pending.contains(key)) {
            deleted.add(key);
          }
        }
        toRemove = deleted;
      }
    }
    int removals = 0;
    for (K key : toRemove) {
      boolean[] removed = new boolean[1];
      StorageFailures.retryingUndecodable(() -> context.tier.compute(key, (k, current) -> {
        removed[0] = false; // set again by a retry after an undecodable record was dropped
        if (isLive(current, now)) {
          removed[0] = true;
          context.removed(k, current);
        } else if (current != null) {
          context.expiredInCompute(k, current);
        }
        return null;
      }));
      if (removed[0]) {
        removals++;
      }
    }
    context.statistics.recordRemovals(removals);
    context.statistics.recordRemoveTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  void removeAll() {
    Set<K> keys = new LinkedHashSet<>();
    // copies: the writer receives keys the application may keep, never the cache's own instances
    context.tier.iterator().forEachRemaining(entry -> keys.add(context.copyIn(entry.getKey())));
    if (!keys.isEmpty()) {
      // an empty cache has nothing to delete, so the writer is not asked to delete nothing
      removeAll(keys);
    }
  }

  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    if (context.loader == null) {
      if (listener != null) {
        listener.onCompletion();
      }
      return;
    }
    List<K> requested = new ArrayList<>(keys);
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      Throwable failure = null;
      context.events.begin();
      boolean applied = false;
      try {
        long now = context.expiry.now();
        List<K> toLoad = new ArrayList<>();
        for (K key : requested) {
          if (replaceExistingValues || !isLive(context.tier.get(key), now)) {
            toLoad.add(key);
          }
        }
        if (!toLoad.isEmpty()) {
          Map<K, V> loaded = context.loader.loadAll(toLoad);
          for (Map.Entry<K, V> entry : loaded.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
              context.checkValueType(entry.getValue());
              storeLoaded(entry.getKey(), entry.getValue(), replaceExistingValues, context.expiry.now());
            }
          }
        }
        applied = true;
      } catch (Throwable e) {
        failure = e;
      } finally {
        try {
          context.events.finish(applied);
        } catch (RuntimeException listenerFailure) {
          failure = listenerFailure;
        }
      }
      // the listener hears exactly once, whatever happened, and what it throws itself is only logged
      if (listener != null) {
        try {
          if (failure == null) {
            listener.onCompletion();
          } else {
            listener.onException(failure instanceof Exception && failure instanceof CacheLoaderException
                ? (Exception) failure
                : new CacheLoaderException("loadAll of cache '" + context.name + "' failed: " + failure, failure));
          }
        } catch (RuntimeException e) {
          LOG.warn("The CompletionListener of loadAll on cache '{}' threw", context.name, e);
        }
      } else if (failure != null) {
        LOG.warn("loadAll on cache '{}' failed and had no CompletionListener to tell", context.name, failure);
      }
    }, context.executor);
    runningLoads.add(load);
    load.whenComplete((ignored, failure) -> runningLoads.remove(load));
  }

  /**
   * Waits, for a bounded time, for loadAll calls still running: a cache that closes under a running load
   * would otherwise have its loader used after it was closed.
   */
  void awaitRunningLoads() {
    CompletableFuture<?>[] loads = runningLoads.toArray(new CompletableFuture<?>[0]);
    if (loads.length == 0) {
      return;
    }
    try {
      CompletableFuture.allOf(loads).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // a load that failed has told its listener; one that is stuck is left behind rather than blocking close
    }
  }
}
