package io.tiercache;

import static io.tiercache.CacheContext.isLive;
import static io.tiercache.CacheContext.valueOf;

import io.tiercache.expiry.ExpiryCalculator;
import io.tiercache.management.CacheStatistics;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.Tier;
import java.util.Objects;

/**
 * The single-key operations of JSR-107 (get, put, remove, replace and their variants), written once against
 * {@link CacheContext} so they run on any tier. Every change happens inside the tier's per-key compute, which
 * makes it atomic and fixes the order of its events; statistics are recorded after the compute succeeds, so
 * a failed writer leaves no trace.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class KeyOperations<K, V> {

  private final CacheContext<K, V> context;
  // the read path's collaborators, held directly: one load each on the hottest path instead of two
  private final Tier<K> tier;
  private final CacheStatistics statistics;
  private final ExpiryCalculator expiry;

  KeyOperations(CacheContext<K, V> context) {
    this.context = context;
    this.tier = context.tier;
    this.statistics = context.statistics;
    this.expiry = context.expiry;
  }

  V get(K key) {
    long start = statistics.startTime();
    long now = expiry.now();
    Envelope envelope = tier.get(key);
    if (isLive(envelope, now)) {
      V value = context.copyOut(envelope); // decoded before the record is touched: one that fails is dropped as is
      context.touch(key, envelope, now);
      statistics.recordHits(1);
      statistics.recordGetTime(start);
      context.meters.hits(1);
      return value;
    }
    if (envelope != null) {
      context.expire(key, envelope);
    }
    context.statistics.recordMisses(1);
    context.meters.misses(1);
    V value = context.readThrough ? loadThrough(key, now) : null;
    context.statistics.recordGetTime(start);
    return value;
  }

  /** Loads a missing value and stores it, unless another thread stored one meanwhile. */
  private V loadThrough(K key, long now) {
    Object[] result = new Object[1];
    // a loaded entry is stored under a copy of the key, like a put, so the caller's key object stays theirs
    context.tier.compute(context.copyIn(key), (k, current) -> {
      if (isLive(current, now)) {
        result[0] = context.copyOut(current);
        return current;
      }
      if (current != null) {
        context.expiredInCompute(k, current);
      }
      V loaded = context.loader.load(k);
      if (loaded == null) {
        return null;
      }
      context.checkValueType(loaded);
      Prepared stored = context.prepare(k, loaded);
      result[0] = loaded;
      return Mutations.create(context, k, stored);
    });
    @SuppressWarnings("unchecked")
    V value = (V) result[0];
    return value;
  }

  boolean containsKey(K key) {
    return isLive(context.tier.get(key), context.expiry.now());
  }

  void put(K key, V value) {
    long start = context.statistics.startTime();
    if (context.writer == null && context.expiry.isEternal() && !context.events.isTracking()) {
      // nothing needs the old record (no writer, no listener, no lifetime that differs between create and
      // update), so the tier may store without reading it first
      K storedKey = context.copyIn(key);
      context.tier.put(storedKey, context.prepare(storedKey, value).envelope(Envelope.ETERNAL));
      context.statistics.recordPuts(1);
      context.statistics.recordPutTime(start);
      return;
    }
    if (writeThrough(key, value, context.expiry.now(), false)[1] != null) {
      // an entry the expiry policy gave no lifetime was never stored, so it is not a put
      context.statistics.recordPuts(1);
      context.statistics.recordPutTime(start);
    }
  }

  V getAndPut(K key, V value) {
    long start = context.statistics.startTime();
    Envelope[] outcome = writeThrough(key, value, context.expiry.now(), true);
    Envelope previous = outcome[0];
    recordHitOrMiss(previous);
    context.statistics.recordPuts(outcome[1] == null && previous == null ? 0 : 1);
    context.statistics.recordGetTime(start);
    context.statistics.recordPutTime(start);
    return previous == null ? null : context.copyOut(previous);
  }

  /** Writes through and stores; returns the live record it replaced (or null) and the record stored (or null). */
  private Envelope[] writeThrough(K key, V value, long now, boolean returnsOld) {
    K storedKey = context.copyIn(key);
    // prepared before the key's lock is taken: serialized and placed once, outside the critical section
    Prepared stored = context.prepare(storedKey, value);
    Envelope[] outcome = new Envelope[2];
    outcome[1] = context.tier.compute(storedKey, (k, current) -> {
      context.decodeBeforeEffects(current, returnsOld);
      context.write(key, value);
      outcome[0] = isLive(current, now) ? current : null;
      return Mutations.upsert(context, k, current, stored, now);
    });
    return outcome;
  }

  boolean putIfAbsent(K key, V value) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    K storedKey = context.copyIn(key);
    boolean[] added = new boolean[1];
    context.tier.compute(storedKey, (k, current) -> {
      if (isLive(current, now)) {
        return current;
      }
      if (current != null) {
        context.expiredInCompute(k, current);
      }
      Prepared stored = context.prepare(k, value); // only when it will be stored
      context.write(key, value);
      added[0] = true;
      return Mutations.create(context, k, stored);
    });
    if (added[0]) {
      context.statistics.recordPuts(1);
      context.statistics.recordMisses(1);
      context.statistics.recordPutTime(start);
    } else {
      context.statistics.recordHits(1);
    }
    return added[0];
  }

  boolean remove(K key) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    boolean[] removed = new boolean[1];
    context.tier.compute(key, (k, current) -> {
      context.decodeBeforeEffects(current, false);
      context.delete(key);
      if (isLive(current, now)) {
        removed[0] = true;
        context.removed(k, current);
      } else if (current != null) {
        context.expiredInCompute(k, current);
      }
      return null;
    });
    if (removed[0]) {
      context.statistics.recordRemovals(1);
      context.statistics.recordRemoveTime(start);
    }
    return removed[0];
  }

  boolean remove(K key, V expected) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    int[] outcome = new int[1]; // 0 miss, 1 hit but different value, 2 removed
    context.tier.compute(key, (k, current) -> {
      if (!isLive(current, now)) {
        if (current != null) {
          context.expiredInCompute(k, current);
          return null;
        }
        return null;
      }
      if (!Objects.equals(valueOf(current), expected)) {
        outcome[0] = 1;
        return Mutations.access(context, current, now);
      }
      context.delete(key);
      outcome[0] = 2;
      context.removed(k, current);
      return null;
    });
    if (outcome[0] == 0) {
      context.statistics.recordMisses(1);
    } else {
      context.statistics.recordHits(1);
      if (outcome[0] == 2) {
        context.statistics.recordRemovals(1);
        context.statistics.recordRemoveTime(start);
      }
    }
    context.statistics.recordGetTime(start);
    return outcome[0] == 2;
  }

  V getAndRemove(K key) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    Envelope[] previous = new Envelope[1];
    context.tier.compute(key, (k, current) -> {
      context.decodeBeforeEffects(current, true);
      context.delete(key);
      if (isLive(current, now)) {
        previous[0] = current;
        context.removed(k, current);
      } else if (current != null) {
        context.expiredInCompute(k, current);
      }
      return null;
    });
    recordHitOrMiss(previous[0]);
    context.statistics.recordGetTime(start);
    if (previous[0] == null) {
      return null;
    }
    context.statistics.recordRemovals(1);
    context.statistics.recordRemoveTime(start);
    return context.copyOut(previous[0]);
  }

  boolean replace(K key, V expected, V value) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    int[] outcome = new int[1]; // 0 miss, 1 hit but different value, 2 replaced
    context.tier.compute(key, (k, current) -> {
      if (!isLive(current, now)) {
        if (current != null) {
          context.expiredInCompute(k, current);
        }
        return null;
      }
      if (!Objects.equals(valueOf(current), expected)) {
        outcome[0] = 1;
        return Mutations.access(context, current, now);
      }
      Prepared stored = context.prepare(k, value);
      context.write(key, value);
      outcome[0] = 2;
      return Mutations.update(context, k, current, stored);
    });
    if (outcome[0] == 0) {
      context.statistics.recordMisses(1);
    } else {
      context.statistics.recordHits(1);
      if (outcome[0] == 2) {
        context.statistics.recordPuts(1);
        context.statistics.recordPutTime(start);
      }
    }
    context.statistics.recordGetTime(start);
    return outcome[0] == 2;
  }

  boolean replace(K key, V value) {
    long start = context.statistics.startTime();
    Envelope previous = replaceLive(key, value, context.expiry.now(), false);
    recordReplace(previous, start);
    return previous != null;
  }

  V getAndReplace(K key, V value) {
    long start = context.statistics.startTime();
    Envelope previous = replaceLive(key, value, context.expiry.now(), true);
    recordReplace(previous, start);
    return previous == null ? null : context.copyOut(previous);
  }

  /** Replaces a live mapping, writing through; returns the record replaced, or null when there was none. */
  private Envelope replaceLive(K key, V value, long now, boolean returnsOld) {
    Envelope[] previous = new Envelope[1];
    context.tier.compute(key, (k, current) -> {
      if (!isLive(current, now)) {
        if (current != null) {
          context.expiredInCompute(k, current);
        }
        return null;
      }
      context.decodeBeforeEffects(current, returnsOld);
      Prepared stored = context.prepare(k, value);
      context.write(key, value);
      previous[0] = current;
      return Mutations.update(context, k, current, stored);
    });
    return previous[0];
  }

  private void recordReplace(Envelope previous, long start) {
    recordHitOrMiss(previous);
    context.statistics.recordGetTime(start);
    if (previous != null) {
      context.statistics.recordPuts(1);
      context.statistics.recordPutTime(start);
    }
  }

  private void recordHitOrMiss(Envelope previous) {
    if (previous == null) {
      context.statistics.recordMisses(1);
    } else {
      context.statistics.recordHits(1);
    }
  }
}
