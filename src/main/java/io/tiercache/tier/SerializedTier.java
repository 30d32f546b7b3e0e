package io.tiercache.tier;

import io.tiercache.persistence.RecordFormat;
import io.tiercache.serialization.Serializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tier over a {@link ByteStore}: keys and values are serialized, values inside a {@link RecordFormat}
 * record whose header carries the expiry. {@link #compute} holds a striped per-key lock around read, remap and
 * write, which makes it atomic per key since every writer of the store goes through it.
 *
 * <p>Eviction: after a write leaves the tier over its {@link Capacity}, records are removed from a random
 * starting point of the store's key order (hash order for MapDB, byte order for RocksDB) until it is within
 * bounds, which makes victims effectively random with respect to age and use. Expired records met on the way
 * are reported as expired, the rest as capacity evictions.
 *
 * @param <K> the key type
 */
public final class SerializedTier<K> implements Tier<K> {

  private final String name;
  private final ByteStore store;
  private final Serializer serializer;
  private final Capacity capacity;
  private final TierListener<? super K> listener;
  private final KeyLocks locks = new KeyLocks(256);
  private final ReentrantLock evictionLock = new ReentrantLock();
  private final java.time.Clock clock;
  /** The last value this thread checked and its bytes, so the write that follows a check reuses them. */
  private final ThreadLocal<Object[]> checked = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * @param name the tier's name in logs and errors, such as {@code rocksdb}
   * @param store the engine
   * @param serializer serializes keys and values
   * @param capacity the bound; its counters must already count what the store holds
   * @param clock the cache's clock, to tell expired records from live ones when evicting
   * @param listener told of evictions
   */
  public SerializedTier(String name, ByteStore store, Serializer serializer, Capacity capacity,
      java.time.Clock clock, TierListener<? super K> listener) {
    this.name = name;
    this.store = store;
    this.serializer = serializer;
    this.capacity = capacity;
    this.clock = clock;
    this.listener = listener;
  }

  /** Counts the entries and bytes a store already holds, for a tier opened on existing data. */
  public static void countExisting(ByteStore store, Capacity capacity) {
    Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(null);
    while (records.hasNext()) {
      Map.Entry<byte[], byte[]> record = records.next();
      capacity.added(record.getKey().length + record.getValue().length);
    }
  }

  @Override
  public String name() {
    return name;
  }

  private Envelope decode(byte[] record) {
    Envelope envelope = RecordFormat.decode(record, serializer, name);
    return new Envelope(envelope.value(), envelope.expireAtMillis(), record);
  }

  @Override
  public void checkStorable(K key, Object value) {
    Object[] memo = checked.get();
    memo[1] = serializer.serialize(value);
    memo[0] = value;
  }

  private byte[] encode(Envelope envelope) {
    Object[] memo = checked.get();
    if (memo[0] == envelope.value()) {
      byte[] value = (byte[]) memo[1];
      memo[0] = null;
      memo[1] = null;
      return RecordFormat.encode(envelope, serializer, value);
    }
    return RecordFormat.encode(envelope, serializer);
  }

  @Override
  public Envelope get(K key) {
    byte[] record = store.get(serializer.serialize(key));
    return record == null ? null : decode(record);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    byte[] keyBytes = serializer.serialize(key);
    Envelope result;
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      byte[] oldRecord = store.get(keyBytes);
      Envelope current = oldRecord == null ? null : decode(oldRecord);
      Envelope replacement = remapper.remap(key, current);
      if (replacement == current) {
        return current;
      }
      if (replacement == null) {
        store.delete(keyBytes);
        capacity.removed(keyBytes.length + oldRecord.length);
        return null;
      }
      byte[] newRecord = encode(replacement);
      store.put(keyBytes, newRecord);
      if (oldRecord == null) {
        capacity.added(keyBytes.length + newRecord.length);
      } else {
        capacity.resized(oldRecord.length, newRecord.length);
      }
      result = new Envelope(replacement.value(), replacement.expireAtMillis(), newRecord);
    } finally {
      lock.unlock();
    }
    if (capacity.isExceeded()) {
      evict();
    }
    return result;
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    byte[] keyBytes = serializer.serialize(key);
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record != null && envelope.origin() instanceof byte[] && Arrays.equals(record, (byte[]) envelope.origin())) {
        store.put(keyBytes, RecordFormat.withExpireAt(record, expireAtMillis));
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> keys) {
    List<K> keyList = new ArrayList<>();
    List<byte[]> keyBytes = new ArrayList<>();
    for (K key : keys) {
      keyList.add(key);
      keyBytes.add(serializer.serialize(key));
    }
    List<byte[]> records = store.getAll(keyBytes);
    Map<K, Envelope> found = new LinkedHashMap<>();
    for (int i = 0; i < keyList.size(); i++) {
      byte[] record = records.get(i);
      if (record != null) {
        found.put(keyList.get(i), decode(record));
      }
    }
    return found;
  }

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(null);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Map.Entry<K, Envelope> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Map.Entry<byte[], byte[]> record = records.next();
        @SuppressWarnings("unchecked")
        K key = (K) serializer.deserialize(record.getKey(), 0, record.getKey().length);
        return Map.entry(key, decode(record.getValue()));
      }
    };
  }

  private void evict() {
    if (!evictionLock.tryLock()) {
      return; // another thread is already evicting; it will bring the tier within bounds
    }
    try {
      byte[] start = new byte[4];
      ThreadLocalRandom.current().nextBytes(start);
      Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(start);
      long now = clock.millis();
      while (capacity.isExceeded() && records.hasNext()) {
        byte[] keyBytes = records.next().getKey();
        @SuppressWarnings("unchecked")
        K key = (K) serializer.deserialize(keyBytes, 0, keyBytes.length);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
          byte[] record = store.get(keyBytes);
          if (record == null) {
            continue;
          }
          store.delete(keyBytes);
          capacity.removed(keyBytes.length + record.length);
          boolean expired = RecordFormat.expireAt(record) <= now;
          listener.onRemoval(key, decode(record), expired ? RemovalCause.EXPIRED : RemovalCause.CAPACITY);
        } finally {
          lock.unlock();
        }
      }
    } finally {
      evictionLock.unlock();
    }
  }

  @Override
  public long size() {
    return capacity.entries();
  }

  @Override
  public long bytes() {
    return capacity.bytes();
  }

  @Override
  public void clear() {
    store.clear();
    capacity.reset();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    Object engine = store.engine();
    if (type.isInstance(engine)) {
      return type.cast(engine);
    }
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    return null;
  }

  @Override
  public void close() {
    store.close();
  }
}
