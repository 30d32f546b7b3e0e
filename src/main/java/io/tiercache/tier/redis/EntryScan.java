package io.tiercache.tier.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.serialized.DroppedRecords;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a Redis tier does with all of a cache's entries at once: iterate, count and delete them, with SCAN over
 * every master (Lettuce's cluster SCAN moves from master to master), in batches.
 *
 * @param <K> the key type
 */
final class EntryScan<K> {

  private static final int BATCH = 512;

  private final RedisCalls calls;
  private final RedisKeys keys;
  private final BiFunction<byte[], byte[], RedisTier.Found> records;
  private final Function<byte[], K> keyDecoder;
  private final DroppedRecords dropped;
  private final boolean missWhenUnreachable;
  private volatile long monitoredSize = -1;
  private volatile long monitoredAt;

  /**
   * @param records reads a record stored under some key (the key's bytes, or their keyed hash), or returns null
   *     for one to skip
   * @param keyDecoder decodes key bytes
   */
  EntryScan(RedisCalls calls, RedisKeys keys, BiFunction<byte[], byte[], RedisTier.Found> records,
      Function<byte[], K> keyDecoder, DroppedRecords dropped, boolean missWhenUnreachable) {
    this.calls = calls;
    this.keys = keys;
    this.records = records;
    this.keyDecoder = keyDecoder;
    this.dropped = dropped;
    this.missWhenUnreachable = missWhenUnreachable;
  }

  /** Runs {@code batch} on every batch of the cache's entry keys, as SCAN over every master returns them. */
  private void forEachKeyBatch(Consumer<List<byte[]>> batch) {
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> found = calls.retrying(() -> calls.commands().scan(from,
          ScanArgs.Builder.matches(keys.scanPattern()).limit(BATCH)));
      if (!found.getKeys().isEmpty()) {
        batch.accept(found.getKeys());
      }
      if (found.isFinished()) {
        return;
      }
      cursor = found;
    }
  }

  /** Counts the entries: it reads every key name, and may count a key twice while Redis resizes its table. */
  long size() {
    long[] count = new long[1];
    try {
      forEachKeyBatch(batch -> count[0] += batch.size());
      return count[0];
    } catch (RuntimeException e) {
      throw calls.failed("counting entries", e);
    }
  }

  /** Returns the entry count, counted again at most every ten seconds: monitoring must not scan at every poll. */
  long sizeForMonitoring() {
    long now = System.nanoTime();
    if (monitoredSize < 0 || now - monitoredAt > TimeUnit.SECONDS.toNanos(10)) {
      monitoredSize = size();
      monitoredAt = now;
    }
    return monitoredSize;
  }

  /** Deletes every entry and the expiry index; writes racing with it may survive it. */
  void deleteAll() {
    try {
      forEachKeyBatch(batch -> {
        byte[][] doomed = batch.toArray(new byte[0][]);
        calls.retrying(() -> calls.commands().unlink(doomed));
      });
      byte[] index = keys.expiries();
      calls.retrying(() -> calls.commands().unlink(index)); // its entries all name deleted keys now
    } catch (RuntimeException e) {
      throw calls.failed("clearing", e);
    }
  }

  /** Returns a weakly consistent iterator: each entry once (SCAN may return a key twice), skipping any it cannot read. */
  Iterator<Map.Entry<K, Envelope>> iterator() {
    return new Iterator<>() {
      private final Set<ByteBuffer> seen = new HashSet<>();
      private final ArrayDeque<Map.Entry<K, Envelope>> ready = new ArrayDeque<>();
      private ScanCursor cursor = ScanCursor.INITIAL;
      private boolean finished;

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && !finished) {
          fetch();
        }
        return !ready.isEmpty();
      }

      private void fetch() {
        KeyScanCursor<byte[]> batch;
        try {
          ScanCursor from = cursor;
          batch = calls.retrying(() -> calls.commands().scan(from, ScanArgs.Builder.matches(keys.scanPattern())
              .limit(BATCH)));
        } catch (RuntimeException e) {
          if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
            finished = true;
            return;
          }
          throw calls.failed("iterating", e);
        }
        cursor = batch;
        finished = batch.isFinished();
        List<byte[]> fresh = new ArrayList<>();
        for (byte[] redisKey : batch.getKeys()) {
          if (keys.isEntry(redisKey) && seen.add(ByteBuffer.wrap(redisKey))) {
            fresh.add(redisKey);
          }
        }
        if (!fresh.isEmpty()) {
          List<KeyValue<byte[], byte[]>> values = calls.run("iterating",
              () -> calls.commands().mget(fresh.toArray(new byte[0][])));
          for (int i = 0; i < fresh.size(); i++) {
            add(fresh.get(i), values.get(i));
          }
        }
      }

      private void add(byte[] redisKey, KeyValue<byte[], byte[]> value) {
        if (value == null || !value.hasValue()) {
          return; // removed since the scan saw it
        }
        RedisTier.Found found = records.apply(keys.keyBytesOf(redisKey), value.getValue());
        if (found == null) {
          return;
        }
        try {
          ready.add(Map.entry(keyDecoder.apply(found.keyBytes()), found.envelope()));
        } catch (RuntimeException undecodable) {
          // left for the processes that can read it, like an undecodable value
          dropped.logOnce("key: " + undecodable.getMessage(), "its key cannot be decoded in this process: "
              + undecodable.getMessage() + "; it stays in Redis and is skipped here");
        }
      }

      @Override
      public Map.Entry<K, Envelope> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }
}
