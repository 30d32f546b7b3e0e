package io.tiercache;

import static io.tiercache.CacheContext.isLive;
import static io.tiercache.CacheContext.valueOf;

import io.tiercache.processor.EntryProcessorEntry;
import io.tiercache.processor.ProcessorResult;
import io.tiercache.serialization.SerializationException;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.TierException;
import io.tiercache.tier.UndecodableRecordException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * {@code invoke} and {@code invokeAll}: the processor runs inside the key's compute, so it sees and changes
 * the entry atomically; its net effect is then applied once, through the same {@link Mutations} as every
 * other write.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class InvokeOperations<K, V> {

  private final CacheContext<K, V> context;

  InvokeOperations(CacheContext<K, V> context) {
    this.context = context;
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    long start = context.statistics.startTime();
    long now = context.expiry.now();
    K storedKey = context.copyIn(key);
    Function<K, V> loader = context.readThrough ? this::loadForProcessor : null;
    Object[] result = new Object[1];
    EntryProcessorEntry<K, V>[] entryHolder = newEntryHolder();
    try {
      context.tier.compute(storedKey, (k, current) -> {
        boolean live = isLive(current, now);
        if (!live && current != null) {
          context.expiredInCompute(k, current);
          current = null;
        }
        EntryProcessorEntry<K, V> entry =
            new EntryProcessorEntry<>(key, live ? context.copyOut(current) : null, loader);
        entryHolder[0] = entry;
        result[0] = processor.process(entry, arguments);
        return apply(k, current, entry, now);
      });
    } catch (UndecodableRecordException dropped) {
      throw dropped; // the old record was dropped before the processor ran: the caller runs it again
    } catch (CacheException e) {
      // the cache's own failures (writer, loader, a processor's EntryProcessorException) keep their type
      throw e;
    } catch (TierException | SerializationException e) {
      // storing the processor's result failed, not the processor: a storage failure, named as one
      throw StorageFailures.of(context.name, e);
    } catch (RuntimeException e) {
      throw new EntryProcessorException("EntryProcessor " + processor.getClass().getName()
          + " failed on cache '" + context.name + "': " + e, e);
    }
    recordStatistics(entryHolder[0], start);
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  private V loadForProcessor(K key) {
    V loaded = context.loader.load(key);
    if (loaded != null) {
      context.checkValueType(loaded);
    }
    return loaded;
  }

  private Envelope apply(K key, Envelope current, EntryProcessorEntry<K, V> entry, long now) {
    switch (entry.outcome()) {
      case NONE:
        return current;
      case READ:
        return Mutations.access(context, current, now);
      case LOADED:
        return Mutations.create(context, key, context.prepare(key, entry.currentValue()));
      case CREATED: {
        V value = entry.currentValue();
        context.checkValueType(value);
        Prepared stored = context.prepare(key, value);
        context.write(key, value);
        return Mutations.create(context, key, stored);
      }
      case UPDATED: {
        V value = entry.currentValue();
        context.checkValueType(value);
        Prepared stored = context.prepare(key, value);
        context.write(key, value);
        return Mutations.update(context, key, current, stored);
      }
      case REMOVED:
        context.delete(key);
        if (current != null) {
          context.removed(key, current);
        }
        return null;
      default:
        throw new IllegalStateException("unknown outcome " + entry.outcome());
    }
  }

  /** One hit or miss for the lookup, whatever the processor did; then the put or removal it made. */
  private void recordStatistics(EntryProcessorEntry<K, V> entry, long start) {
    if (entry == null) {
      return;
    }
    if (entry.existedBefore()) {
      context.statistics.recordHits(1);
    } else {
      context.statistics.recordMisses(1);
    }
    context.statistics.recordGetTime(start);
    switch (entry.outcome()) {
      case CREATED:
      case UPDATED:
        context.statistics.recordPuts(1);
        context.statistics.recordPutTime(start);
        break;
      case REMOVED:
        if (entry.existedBefore()) {
          context.statistics.recordRemovals(1);
          context.statistics.recordRemoveTime(start);
        }
        break;
      default:
        break;
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
    for (K key : keys) {
      // each key is an operation of its own: its events are released, and a failure recorded, per key
      context.events.begin();
      boolean applied = false;
      try {
        T value = StorageFailures.retryingUndecodable(() -> invoke(key, processor, arguments));
        applied = true;
        if (value != null) {
          results.put(key, ProcessorResult.of(value));
        }
      } catch (EntryProcessorException e) {
        results.put(key, ProcessorResult.failed(e));
      } catch (RuntimeException e) {
        results.put(key, ProcessorResult.failed(new EntryProcessorException("invokeAll on cache '"
            + context.name + "' failed for a key: " + e, e)));
      } finally {
        try {
          context.events.finish(applied);
        } catch (RuntimeException listenerFailure) {
          results.put(key, ProcessorResult.failed(new EntryProcessorException(listenerFailure)));
        }
      }
    }
    return results;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> EntryProcessorEntry<K, V>[] newEntryHolder() {
    return new EntryProcessorEntry[1];
  }
}
