package io.tiercache;

import static io.tiercache.CacheContext.isLive;

import io.tiercache.serialization.SerializationException;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.TierException;
import io.tiercache.tier.UndecodableRecordException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * Iterates a cache's live entries. Each entry returned counts as an access (a hit, and the expiry policy's
 * access rule); expired records are skipped. {@link #remove()} removes through the cache, so writers,
 * listeners and statistics see it like any other removal.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final CacheContext<K, V> context;
  private final KeyOperations<K, V> operations;
  private final Iterator<Map.Entry<K, Envelope>> records;
  private Cache.Entry<K, V> next;
  private K lastKey;

  CacheIterator(CacheContext<K, V> context, KeyOperations<K, V> operations) {
    this.context = context;
    this.operations = operations;
    this.records = context.tier.iterator();
  }

  @Override
  public boolean hasNext() {
    try {
      return advance();
    } catch (TierException | SerializationException e) {
      throw StorageFailures.of(context.name, e);
    }
  }

  private boolean advance() {
    while (next == null && records.hasNext()) {
      Map.Entry<K, Envelope> record = records.next();
      long now = context.expiry.now();
      Envelope envelope = record.getValue();
      if (isLive(envelope, now)) {
        K key = record.getKey();
        V value;
        try {
          value = context.copyOut(envelope);
        } catch (UndecodableRecordException dropped) {
          continue; // the tier dropped and counted it: to this iteration, as to every later read, it is absent
        }
        context.touch(key, envelope, now);
        context.statistics.recordHits(1);
        next = new CacheEntry<>(context.copyIn(key), value);
      }
    }
    return next != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Cache.Entry<K, V> entry = next;
    next = null;
    lastKey = entry.getKey();
    return entry;
  }

  @Override
  public void remove() {
    if (lastKey == null) {
      throw new IllegalStateException("next() has not been called, or remove() was already called");
    }
    K key = lastKey;
    lastKey = null;
    context.events.begin();
    boolean applied = false;
    try {
      operations.remove(key);
      applied = true;
    } catch (TierException | SerializationException e) {
      throw StorageFailures.of(context.name, e);
    } finally {
      context.events.finish(applied);
    }
  }
}
