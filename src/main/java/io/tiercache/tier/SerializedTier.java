package io.tiercache.tier;

import io.tiercache.persistence.RecordFormat;
import io.tiercache.serialization.Serializer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tier over a {@link ByteStore}: keys and values are serialized, values inside a {@link RecordFormat}
 * record whose header carries the expiry. {@link #compute} holds a striped lock (by the key's bytes) around
 * read, remap and write, which makes it atomic per key since every writer of the store goes through it;
 * {@link #clear} excludes all of them, so the occupancy counters never drift.
 *
 * <p>Eviction: after a write leaves the tier over its {@link Capacity}, records are removed, starting from a
 * random point of the store's key order where the engine has one (RocksDB) and in hash order otherwise
 * (MapDB), until it is within bounds. Expired records met on the way are reported as expired, the rest as
 * capacity evictions. A record that cannot be decoded any more is deleted all the same, with a warning.
 *
 * @param <K> the key type
 */
public final class SerializedTier<K> implements Tier<K> {

  private static final Logger LOG = LoggerFactory.getLogger(SerializedTier.class);

  private final String name;
  private final ByteStore store;
  private final Serializer serializer;
  private final Capacity capacity;
  private final TierListener<? super K> listener;
  private final KeyLocks locks = new KeyLocks(256);
  private final ReentrantReadWriteLock clearLock = new ReentrantReadWriteLock();
  private final ReentrantLock evictionLock = new ReentrantLock();
  private final java.time.Clock clock;
  /** The last value this thread checked and its bytes, so the write that follows a check reuses them. */
  private final ThreadLocal<Object[]> checked = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * @param name the tier's name in logs and errors, such as {@code rocksdb:/data/cache#orders}
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
    return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
  }

  private Envelope decode(byte[] record) {
    Envelope envelope = RecordFormat.decode(record, serializer, name);
    return new Envelope.Decoded(envelope.value(), envelope.expireAtMillis(), record);
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
      return RecordFormat.encode(envelope, serializer, (byte[]) memo[1]);
    }
    return RecordFormat.encode(envelope, serializer);
  }

  @Override
  public Envelope get(K key) {
    byte[] record = store.get(serializer.serializeKey(key));
    return record == null ? null : decode(record);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    byte[] keyBytes = serializer.serializeKey(key);
    Envelope result;
    clearLock.readLock().lock();
    ReentrantLock lock = locks.lockForBytes(keyBytes);
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
      // the caller's own object, not a fresh decode: it must not pass for a private copy
      result = replacement;
    } finally {
      lock.unlock();
      clearLock.readLock().unlock();
      Object[] memo = checked.get();
      memo[0] = null; // never keep a checked value (it may be a large blob) beyond its operation
      memo[1] = null;
    }
    if (capacity.isExceeded()) {
      evict();
    }
    return result;
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    byte[] keyBytes = serializer.serializeKey(key);
    clearLock.readLock().lock();
    ReentrantLock lock = locks.lockForBytes(keyBytes);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record != null && envelope.sameRecord(new Envelope.Decoded(envelope.value(), 0, record))) {
        store.put(keyBytes, RecordFormat.withExpireAt(record, expireAtMillis));
      }
    } finally {
      lock.unlock();
      clearLock.readLock().unlock();
    }
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> keys) {
    List<K> keyList = new ArrayList<>();
    List<byte[]> keyBytes = new ArrayList<>();
    for (K key : keys) {
      keyList.add(key);
      keyBytes.add(serializer.serializeKey(key));
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
        K key = (K) serializer.deserializeKey(record.getKey(), 0, record.getKey().length);
        return Map.entry(key, decode(record.getValue()));
      }
    };
  }

  private void evict() {
    if (!evictionLock.tryLock()) {
      return; // another thread is already evicting; it will bring the tier within bounds
    }
    clearLock.readLock().lock();
    try {
      Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(randomStart());
      long now = clock.millis();
      while (capacity.isExceeded() && records.hasNext()) {
        evictOne(records.next().getKey(), now);
      }
    } finally {
      clearLock.readLock().unlock();
      evictionLock.unlock();
    }
  }

  /** A random point in key order: keys begin with a serializer tag byte, so the hint keeps the first key's. */
  private byte[] randomStart() {
    Iterator<Map.Entry<byte[], byte[]>> first = store.iterator(null);
    if (!first.hasNext()) {
      return null;
    }
    byte[] firstKey = first.next().getKey();
    byte[] hint = new byte[Math.max(2, Math.min(firstKey.length, 9))];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(hint);
    hint[0] = firstKey[0];
    return hint;
  }

  private void evictOne(byte[] keyBytes, long now) {
    ReentrantLock lock = locks.lockForBytes(keyBytes);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record == null) {
        return;
      }
      store.delete(keyBytes);
      capacity.removed(keyBytes.length + record.length);
      K key;
      Envelope envelope;
      try {
        @SuppressWarnings("unchecked")
        K decodedKey = (K) serializer.deserializeKey(keyBytes, 0, keyBytes.length);
        key = decodedKey;
        envelope = decode(record);
      } catch (RuntimeException undecodable) {
        // evicting must never fail the write that triggered it; the record is gone, only its event is lost
        LOG.warn("Evicted a record of {} that can no longer be decoded: {}", name, undecodable.getMessage());
        return;
      }
      boolean expired = RecordFormat.expireAt(record) <= now;
      listener.onRemoval(key, envelope, expired ? RemovalCause.EXPIRED : RemovalCause.CAPACITY);
    } finally {
      lock.unlock();
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
    clearLock.writeLock().lock();
    try {
      store.clear();
      capacity.reset();
      countExisting(store, capacity); // whatever the engine still holds, counted exactly
    } finally {
      clearLock.writeLock().unlock();
    }
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
