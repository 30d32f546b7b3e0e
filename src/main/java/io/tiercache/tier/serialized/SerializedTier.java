package io.tiercache.tier.serialized;

import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.UndecodableRecordException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tier over a {@link ByteStore}: keys and values are serialized, values inside a {@link RecordFormat}
 * record whose header carries the expiry and a sequence. Every change of a key happens under the key's
 * stripe of {@link KeyLocks}, which makes {@link #compute} atomic per key since every writer of the store
 * goes through it; reads take no lock. {@link #clear} takes every stripe.
 *
 * <p>Work is done once per write: the key is serialized once; a value {@link #prepare prepared} by this tier
 * (or by another tier sharing its serializer) is stored as the bytes it was prepared as; the old record is
 * read once and decoded once. A composite that holds the key's stripe calls the byte-level methods
 * ({@link #read}, {@link #write}, {@link #delete}) with key bytes it serialized once for all its tiers.
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
  private final KeyLocks locks;
  private final TierListener<? super K> listener;
  private final ReentrantLock evictionLock = new ReentrantLock();
  private final Clock clock;
  private final DroppedRecords dropped;
  private final boolean legacyRecords;
  private final FreeSpace freeSpace;       // null for a store in memory
  private volatile String problem;         // the last write failure, until a write succeeds again

  /**
   * @param name the tier's name in logs and errors, such as {@code rocksdb:/data/cache#orders}
   * @param store the engine
   * @param serializer serializes keys and values
   * @param capacity the bound; its counters must already count what the store holds
   * @param locks the per-key locks; a composite passes the ones it holds itself
   * @param clock the cache's clock, to tell expired records from live ones when evicting
   * @param listener told of evictions
   */
  public SerializedTier(String name, ByteStore store, Serializer serializer, Capacity capacity, KeyLocks locks,
      Clock clock, TierListener<? super K> listener) {
    this(name, store, serializer, capacity, locks, clock, listener, true);
  }

  /**
   * @param legacyRecords false for a store that never held records older than format version 3 (created by
   *     this version): a record claiming an older version there is damaged, and its checksum is not skipped
   */
  public SerializedTier(String name, ByteStore store, Serializer serializer, Capacity capacity, KeyLocks locks,
      Clock clock, TierListener<? super K> listener, boolean legacyRecords) {
    this.legacyRecords = legacyRecords;
    this.name = name;
    this.store = store;
    this.serializer = serializer;
    this.capacity = capacity;
    this.locks = locks;
    this.clock = clock;
    this.listener = listener;
    this.dropped = new DroppedRecords(name);
    this.freeSpace = store.location() == null ? null : FreeSpace.of(store.location());
  }

  /** Checks for room before a write, and remembers why a write failed, for {@link #problem}. */
  private void beforeWrite(long bytes) {
    if (freeSpace != null) {
      try {
        freeSpace.requireRoom(bytes);
      } catch (RuntimeException e) {
        problem = e.getMessage();
        throw e;
      }
    }
  }

  private void written() {
    if (problem != null) {
      problem = null;
    }
  }

  private RuntimeException failed(RuntimeException e) {
    problem = "a write failed: " + e.getMessage();
    return e;
  }

  @Override
  public String problem() {
    return problem;
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

  /** Returns the serializer of keys and values; tiers sharing it can exchange key bytes and prepared values. */
  public Serializer serializer() {
    return serializer;
  }

  /** Returns the locks this tier takes per key. */
  public KeyLocks locks() {
    return locks;
  }

  /** Returns the bytes a key is stored under. */
  public byte[] keyBytes(K key) {
    return serializer.serializeKey(key);
  }

  /** Returns the sequence of a record this tier returned from a read, or 0 for any other envelope. */
  public static long sequenceOf(Envelope envelope) {
    if (envelope == null || !envelope.isPrivateCopy() || envelope.record() == null) {
      return 0;
    }
    return RecordFormat.sequence(envelope.record());
  }

  /**
   * The envelope of a record stored under {@code keyBytes}, or null when the record is damaged: then it is
   * dropped and counted, and the key reads as absent. The value is deserialized only if someone asks for it;
   * if it then fails to decode, it is dropped too (see {@link UndecodableRecordException}).
   */
  private Envelope decode(byte[] keyBytes, byte[] record) {
    String damage = RecordFormat.damage(keyBytes, record, legacyRecords);
    if (damage != null) {
      drop(keyBytes, record, true);
      dropped.logOnce("damaged", "the record is damaged (" + damage + "); the store's files were changed by"
          + " something other than this cache, or the disk failed");
      return null;
    }
    RecordFormat.checkSerializer(record, serializer, name);
    return Envelope.decoded(RecordFormat.expireAt(record), record, serializer,
        stored -> decodeValue(keyBytes, stored));
  }

  /**
   * Returns how a record this tier holds under {@code keyBytes} is decoded later, away from this read (a
   * composite's hot copies): as a read would decode it, dropping it if it no longer decodes.
   */
  public java.util.function.Function<byte[], Object> valueDecoder(byte[] keyBytes) {
    return stored -> decodeValue(keyBytes, stored);
  }

  private Object decodeValue(byte[] keyBytes, byte[] record) {
    int offset = RecordFormat.valueOffset(record);
    try {
      return serializer.deserialize(record, offset, record.length - offset);
    } catch (RuntimeException undecodable) {
      drop(keyBytes, record, false);
      String reason = String.valueOf(undecodable.getMessage());
      dropped.logOnce(reason, "its value cannot be decoded any more: " + reason);
      throw new UndecodableRecordException("A record of " + name + " cannot be decoded and was dropped: "
          + reason, undecodable);
    }
  }

  /**
   * Deletes a damaged or undecodable record, if the key still holds exactly it, under the key's stripe (taken
   * again when the caller already holds it, skipped when another thread holds it), and counts it. A failure to delete is logged: the key still
   * reads as absent, and the record is met again next time.
   */
  private void drop(byte[] keyBytes, byte[] record, boolean damaged) {
    ReentrantLock lock = lockForBytes(keyBytes);
    if (!lock.tryLock()) {
      return; // a reader never waits for a stripe (it may hold another one): the record is met again later
    }
    try {
      byte[] stored = store.get(keyBytes);
      if (stored != null && java.util.Arrays.equals(stored, record)) {
        if (damaged) {
          store.deleteDamaged(keyBytes); // a store with a sound copy elsewhere (a log) may bring it back
        } else {
          store.delete(keyBytes);
        }
        capacity.removed(keyBytes.length + record.length);
        dropped.counted();
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not delete a damaged record of {}: {}", name, e.toString());
    } finally {
      lock.unlock();
    }
  }

  /** The stripe of the key stored as {@code keyBytes}; a key that does not decode has a stripe of its own. */
  private ReentrantLock lockForBytes(byte[] keyBytes) {
    K key;
    try {
      key = decodeKey(keyBytes);
    } catch (RuntimeException undecodable) {
      return locks.lockForUndecodable(keyBytes);
    }
    return locks.lockFor(key);
  }

  @Override
  public long dropped() {
    return dropped.count();
  }

  @Override
  public Prepared prepare(K key, Object value) {
    return Prepared.serialized(value, serializer.serialize(value, RecordFormat.HEADER_BYTES), serializer);
  }

  /** Encodes an envelope as the record to store: its own bytes when they are ours, otherwise serialized now. */
  private byte[] encode(byte[] keyBytes, Envelope envelope, long sequence) {
    return RecordFormat.encode(keyBytes, envelope, serializer, sequence);
  }

  @Override
  public Envelope get(K key) {
    return read(keyBytes(key));
  }

  /** Returns the record stored under {@code keyBytes}, decoded lazily, or null (also for a damaged one). */
  public Envelope read(byte[] keyBytes) {
    byte[] record = store.get(keyBytes);
    return record == null ? null : decode(keyBytes, record);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    byte[] keyBytes = keyBytes(key);
    Envelope result;
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      Envelope current = read(keyBytes);
      Envelope replacement = remapper.remap(key, current);
      if (replacement == current) {
        return current;
      }
      if (replacement == null) {
        if (current != null) {
          delete(keyBytes, current);
        }
        return null;
      }
      result = write(keyBytes, current, replacement, sequenceOf(current) + 1);
    } finally {
      lock.unlock();
    }
    evictIfOver();
    return result;
  }

  /**
   * Stores a record without reading and decoding the old one first: one engine call where the engine returns
   * the previous record from its write (MapDB). The record's sequence is 0: composites, the only readers of
   * sequences, write through {@link #write} instead.
   */
  @Override
  public void put(K key, Envelope envelope) {
    byte[] keyBytes = keyBytes(key);
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      byte[] record = encode(keyBytes, envelope, 0);
      beforeWrite(keyBytes.length + record.length);
      int previous;
      try {
        previous = store.swap(keyBytes, record);
      } catch (RuntimeException e) {
        throw failed(e);
      }
      written();
      if (previous < 0) {
        capacity.added(keyBytes.length + record.length);
      } else {
        capacity.resized(previous, record.length);
      }
    } finally {
      lock.unlock();
    }
    evictIfOver();
  }

  /**
   * Stores {@code replacement} under {@code keyBytes}. The caller holds the key's stripe of {@link #locks()}
   * and passes what this tier holds for the key now ({@code current}, as read under that stripe, or null), so
   * nothing is read again. Does not evict: the caller calls {@link #evictIfOver} once it let go of the stripe.
   *
   * @param sequence the record's sequence, higher than that of any other copy of the key
   * @return {@code replacement}
   */
  public Envelope write(byte[] keyBytes, Envelope current, Envelope replacement, long sequence) {
    byte[] record = encode(keyBytes, replacement, sequence);
    beforeWrite(keyBytes.length + record.length);
    try {
      store.put(keyBytes, record);
    } catch (RuntimeException e) {
      throw failed(e);
    }
    written();
    if (current == null) {
      capacity.added(keyBytes.length + record.length);
    } else {
      capacity.resized(current.record().length, record.length);
    }
    return replacement;
  }

  /** Deletes the record {@code current} that this tier holds under {@code keyBytes}; the caller holds the stripe. */
  public void delete(byte[] keyBytes, Envelope current) {
    deleteRecord(keyBytes, current.record());
  }

  /** Returns the raw record under {@code keyBytes}, undecoded, or null (for recovery). */
  public byte[] readRecord(byte[] keyBytes) {
    return store.get(keyBytes);
  }

  /** Deletes {@code record}, which this tier holds under {@code keyBytes}; the caller holds the stripe. */
  public void deleteRecord(byte[] keyBytes, byte[] record) {
    store.delete(keyBytes);
    capacity.removed(keyBytes.length + record.length);
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    byte[] keyBytes = keyBytes(key);
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record != null && envelope.record() != null && java.util.Arrays.equals(record, envelope.record())) {
        byte[] moved = RecordFormat.upgraded(record);
        byte[] stamped = RecordFormat.stamp(keyBytes, moved, moved != record, serializer.id(), expireAtMillis,
            RecordFormat.sequence(record));
        store.put(keyBytes, stamped);
        capacity.resized(record.length, stamped.length); // a version-1 record grows by its new header
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
      keyBytes.add(keyBytes(key));
    }
    List<byte[]> records = store.getAll(keyBytes);
    Map<K, Envelope> found = new LinkedHashMap<>();
    for (int i = 0; i < keyList.size(); i++) {
      byte[] record = records.get(i);
      Envelope envelope = record == null ? null : decode(keyBytes.get(i), record);
      if (envelope != null) {
        found.put(keyList.get(i), envelope);
      }
    }
    return found;
  }

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(null);
    return new Iterator<>() {
      private Map.Entry<K, Envelope> next;

      @Override
      public boolean hasNext() {
        while (next == null && records.hasNext()) {
          Map.Entry<byte[], byte[]> record = records.next();
          Envelope envelope = decode(record.getKey(), record.getValue()); // null: damaged, dropped, skipped
          if (envelope != null) {
            K key = decodeKeyOrDrop(record.getKey());
            next = key == null ? null : Map.entry(key, envelope);
          }
        }
        return next != null;
      }

      @Override
      public Map.Entry<K, Envelope> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Map.Entry<K, Envelope> result = next;
        next = null;
        return result;
      }
    };
  }

  /**
   * Returns up to {@code count} distinct keys read from a random point in key order on (wrapping to the start):
   * a sample for a composite choosing entries to move elsewhere. Keys that no longer decode are dropped, as
   * iteration drops them.
   */
  public List<K> sampleKeys(int count) {
    java.util.Set<K> sample = new java.util.LinkedHashSet<>();
    byte[] start = randomStart();
    addKeys(store.iterator(start), sample, count);
    if (start != null && sample.size() < count) {
      addKeys(store.iterator(null), sample, count);
    }
    return new ArrayList<>(sample);
  }

  private void addKeys(Iterator<Map.Entry<byte[], byte[]>> records, java.util.Set<K> sample, int count) {
    while (sample.size() < count && records.hasNext()) {
      K key = decodeKeyOrDrop(records.next().getKey());
      if (key != null) {
        sample.add(key);
      }
    }
  }

  /** Iterates the raw records: key bytes and record bytes, undecoded (for recovery sweeps). */
  public Iterator<Map.Entry<byte[], byte[]>> records() {
    return store.iterator(null);
  }

  /**
   * Decodes a key met while iterating; one that no longer decodes (its class changed, or is gone) cannot be
   * reached by any lookup either, so its record is dropped and counted, and the iteration goes on.
   */
  private K decodeKeyOrDrop(byte[] keyBytes) {
    try {
      return decodeKey(keyBytes);
    } catch (RuntimeException undecodable) {
      deleteUndecodableKey(keyBytes);
      String reason = String.valueOf(undecodable.getMessage());
      dropped.logOnce("key: " + reason, "its key cannot be decoded any more: " + reason);
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private K decodeKey(byte[] keyBytes) {
    return (K) serializer.deserializeKey(keyBytes, 0, keyBytes.length);
  }

  /** Evicts until the tier is within its capacity; the caller holds no key's stripe. */
  public void evictIfOver() {
    if (!capacity.isExceeded() || !evictionLock.tryLock()) {
      return; // within bounds, or another thread is already evicting and will bring the tier within bounds
    }
    try {
      Iterator<Map.Entry<byte[], byte[]>> records = store.iterator(randomStart());
      long now = clock.millis();
      while (capacity.isExceeded() && records.hasNext()) {
        evictOne(records.next().getKey(), now);
      }
    } catch (RuntimeException e) {
      // the write that triggered this has happened and must not fail; the next write tries again
      problem = "eviction failed: " + e.getMessage();
      LOG.warn("Evicting from {} failed: {}", name, e.toString());
    } finally {
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
    ThreadLocalRandom.current().nextBytes(hint);
    hint[0] = firstKey[0];
    return hint;
  }

  /**
   * Deletes the record of a key that no longer decodes, and counts it as dropped. No operation can reach such a
   * key; a stripe still excludes a clear recounting meanwhile.
   */
  private void deleteUndecodableKey(byte[] keyBytes) {
    ReentrantLock lock = locks.lockForUndecodable(keyBytes);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record != null) {
        store.delete(keyBytes);
        capacity.removed(keyBytes.length + record.length);
        dropped.counted();
      }
    } finally {
      lock.unlock();
    }
  }

  private void evictOne(byte[] keyBytes, long now) {
    K key;
    try {
      key = decodeKey(keyBytes);
    } catch (RuntimeException undecodable) {
      deleteUndecodableKey(keyBytes);
      LOG.warn("Evicted a record of {} whose key can no longer be decoded: {}", name, undecodable.getMessage());
      return;
    }
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      byte[] record = store.get(keyBytes);
      if (record == null) {
        return;
      }
      store.delete(keyBytes);
      capacity.removed(keyBytes.length + record.length);
      Envelope envelope;
      String damage = RecordFormat.damage(keyBytes, record, legacyRecords);
      try {
        if (damage != null) {
          throw new IllegalStateException(damage);
        }
        RecordFormat.checkSerializer(record, serializer, name);
        int offset = RecordFormat.valueOffset(record);
        Object value = serializer.deserialize(record, offset, record.length - offset);
        envelope = Envelope.decoded(RecordFormat.expireAt(record), record, serializer, stored -> value);
      } catch (RuntimeException undecodable) {
        // evicting must never fail the write that triggered it; the record is gone, only its event is lost
        dropped.counted();
        dropped.logOnce("evicted: " + undecodable.getMessage(), "evicted while damaged or undecodable: "
            + undecodable.getMessage());
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
    locks.lockAll();
    try {
      store.clear();
      capacity.reset();
      countExisting(store, capacity); // whatever the engine still holds, counted exactly
    } finally {
      locks.unlockAll();
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
