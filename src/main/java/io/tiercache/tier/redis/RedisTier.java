package io.tiercache.tier.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.ReadCopies;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.UndecodableRecordException;
import io.tiercache.tier.serialized.DroppedRecords;
import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.RecordProtection;
import io.tiercache.tier.serialized.SharedProtection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tier in Redis that several processes share: one Redis key per entry, holding the same checksummed record
 * as the disk tiers ({@link RecordFormat}), with the record's expiry (plus a grace period) also set on the key
 * so that Redis reclaims expired entries itself.
 *
 * <p><b>Atomic across processes.</b> A {@link #compute} takes the key's lease in Redis (see
 * {@link RedisScripts}) before it reads, so the remapper (and the writer and listeners it calls) runs once,
 * alone, on the record the commit replaces; the commit succeeds only while the lease is still this call's,
 * and publishes the change in the same step. Threads of one process queue on a local lock first, so only one
 * of them at a time competes for a key's lease. A lease held by a process that died expires after
 * {@code redis.lease}; a live holder renews it while its remapper runs ({@link LeaseKeeper}).
 *
 * <p><b>Near cache.</b> With a {@link ReadCopies}, reads are served from the heap while Redis's client tracking
 * vouches that nothing changed ({@link Invalidations}); every write of this process removes the key from it.
 *
 * <p><b>Encryption.</b> With a {@link RecordProtection}, the value part of every record is sealed (the header
 * stays readable, so an expiry still moves in one step and damage is still found by the checksum); with hidden
 * keys, entries are stored under a keyed hash of the key, and the key travels sealed inside the record. A
 * record that fails authentication here is left in Redis, like one this process cannot decode.
 *
 * <p><b>Failures.</b> A command that fails names the server; reads can be configured to be misses while the
 * server cannot be reached. A command rejected before it was sent (while disconnected, or while a cluster
 * reconfigures) is tried again until the timeout, so a failover completes under a caller instead of failing
 * it where possible.
 *
 * @param <K> the key type
 */
public final class RedisTier<K> implements Tier<K> {

  private static final byte[] EMPTY = LeaseProtocol.EMPTY;

  private final RedisLink link;
  private final RedisCalls calls;
  private final LeaseProtocol protocol;
  private final EntryScan<K> scan;
  private final ExpirySweep<K> sweep;
  private final RedisKeys keys;
  private final Serializer serializer;
  private final Clock clock;
  private final KeyLocks locks;
  private final ReadCopies<Object> near;     // null without a near cache; keyed by nearKey()
  private final LeaseKeeper leases;
  private final TierListener<? super K> listener;
  private final DroppedRecords dropped;
  private final RecordProtection protection; // null: plain records
  private final boolean hidesKeys;
  private final SharedProtection sharedProtection;
  private final SharedProtection.Items items;
  /** Marks envelopes holding this tier's stored records: sealed ones must never pass for plain serialized bytes. */
  private final Object recordEncoder;
  private final UnreadableRecords unreadable = new UnreadableRecords();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final long origin = ThreadLocalRandom.current().nextLong();
  private final boolean publishing;
  private final long graceMillis;
  private final boolean missWhenUnreachable;
  private final String description;
  private Invalidations<Object> invalidations; // set once by the factory
  private ChangeFeed feed;                  // set once by the factory
  private java.util.concurrent.ScheduledFuture<?> sweeping; // set once by the factory

  RedisTier(RedisLink link, RedisKeys keys, Serializer serializer, Clock clock, ReadCopies<Object> near,
      LeaseKeeper leases, boolean publishing, TierListener<? super K> listener, SharedProtection sharedProtection) {
    RedisSettings settings = link.settings();
    this.listener = listener;
    this.link = link;
    this.keys = keys;
    this.serializer = serializer;
    this.clock = clock;
    this.locks = new KeyLocks(1024);
    this.near = near;
    this.leases = leases;
    this.publishing = publishing;
    this.graceMillis = settings.expiryGrace().toMillis();
    this.missWhenUnreachable = settings.whenUnreachable() == RedisSettings.WhenUnreachable.MISS;
    this.description = "redis:" + settings.describe() + "#" + keys.prefix();
    this.dropped = new DroppedRecords(description);
    this.calls = new RedisCalls(link);
    this.items = new RedisItems(calls, keys);
    this.sharedProtection = sharedProtection;
    this.protection = sharedProtection.protect(items, description);
    this.hidesKeys = protection != null && protection.hidesKeys();
    this.recordEncoder = protection == null ? serializer : new Object();
    this.protocol = new LeaseProtocol(calls, keys, settings, description);
    this.scan = new EntryScan<>(calls, keys, (storedKey, record) -> read(storedKey, record, EMPTY),
        this::decodeKey, dropped, missWhenUnreachable);
    this.sweep = new ExpirySweep<>(calls, link, keys, clock, listener);
  }

  void attach(Invalidations<Object> invalidations) {
    this.invalidations = invalidations;
  }

  void attach(ChangeFeed feed) {
    this.feed = feed;
  }

  void attach(java.util.concurrent.ScheduledFuture<?> sweeping) {
    this.sweeping = sweeping;
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Returns the id this process's changes carry, so the change feed can skip its own. */
  long origin() {
    return origin;
  }

  /** Returns the serializer of keys and values. */
  public Serializer serializer() {
    return serializer;
  }

  private RedisClusterCommands<byte[], byte[]> commands() {
    return calls.commands();
  }

  // ---------------------------------------------------------------------------------------------- reads

  /** Returns the key a record of {@code keyBytes} is stored under: the bytes, or their keyed hash. */
  private byte[] storedKey(byte[] keyBytes) {
    return hidesKeys ? protection.storedKey(keyBytes) : keyBytes;
  }

  /**
   * Returns what the near cache keys an entry by: the key itself, or with hidden keys its stored key, the only
   * thing an invalidation names.
   */
  private Object nearKey(K key, byte[] storedKey) {
    return hidesKeys ? new HiddenKey(storedKey) : key;
  }

  /** Returns the near cache's key of the entry stored under {@code storedKey}, as an invalidation names it. */
  Object nearKeyOf(byte[] storedKey) {
    return hidesKeys ? new HiddenKey(storedKey) : decodeKey(storedKey);
  }

  @Override
  public Envelope get(K key) {
    ReadCopies<Object> near = this.near;
    byte[] keyBytes = null;
    byte[] stored = null;
    Object nearKey = key;
    if (hidesKeys) {
      keyBytes = serializer.serializeKey(key);
      stored = protection.storedKey(keyBytes);
      nearKey = new HiddenKey(stored);
    }
    if (near != null) {
      Envelope kept = near.get(nearKey);
      if (kept != null) {
        return kept;
      }
    }
    long stamp = near == null ? 0 : near.stamp(nearKey);
    if (keyBytes == null) {
      keyBytes = serializer.serializeKey(key);
      stored = keyBytes;
    }
    byte[] storedKey = stored;
    byte[] record;
    try {
      record = calls.retrying(() -> commands().get(keys.entry(storedKey)));
    } catch (RuntimeException e) {
      if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
        return null;
      }
      throw calls.failed("reading a key", e);
    }
    if (record == null) {
      return null;
    }
    Envelope envelope = decode(storedKey, record, EMPTY);
    if (envelope != null && near != null) {
      Envelope kept = Envelope.shared(envelope.value(), envelope.expireAtMillis(), record, recordEncoder);
      near.offer(nearKey, stamp, kept);
      return kept;
    }
    return envelope;
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> wanted) {
    Map<K, Envelope> found = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    for (K key : wanted) {
      Object nearKey = hidesKeys ? nearKey(key, storedKey(serializer.serializeKey(key))) : key;
      Envelope kept = near == null ? null : near.get(nearKey);
      if (kept != null) {
        found.put(key, kept);
      } else {
        missing.add(key);
      }
    }
    if (missing.isEmpty()) {
      return found;
    }
    long[] stamps = new long[missing.size()];
    byte[][] keyBytes = new byte[missing.size()][];
    byte[][] redisKeys = new byte[missing.size()][];
    for (int i = 0; i < missing.size(); i++) {
      keyBytes[i] = storedKey(serializer.serializeKey(missing.get(i)));
      stamps[i] = near == null ? 0 : near.stamp(nearKey(missing.get(i), keyBytes[i]));
      redisKeys[i] = keys.entry(keyBytes[i]);
    }
    List<KeyValue<byte[], byte[]>> values;
    try {
      values = calls.retrying(() -> commands().mget(redisKeys));
    } catch (RuntimeException e) {
      if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
        return found;
      }
      throw calls.failed("reading keys", e);
    }
    for (int i = 0; i < missing.size(); i++) {
      KeyValue<byte[], byte[]> value = values.get(i);
      if (value == null || !value.hasValue()) {
        continue;
      }
      Envelope envelope = decode(keyBytes[i], value.getValue(), EMPTY);
      if (envelope != null) {
        found.put(missing.get(i), envelope);
      }
    }
    return found;
  }

  /** A record read from Redis, checked and opened: the bytes of its key and its envelope. */
  record Found(byte[] keyBytes, Envelope envelope) { }

  /** The envelope of a record read under {@code storedKey}, or null: see {@link #read}. */
  private Envelope decode(byte[] storedKey, byte[] record, byte[] token) {
    Found found = read(storedKey, record, token);
    return found == null ? null : found.envelope;
  }

  /**
   * The key bytes and envelope of a record read under {@code storedKey}, or null when the record is damaged (it
   * is then deleted and counted: damaged bytes are damaged for every process) or when this process already
   * found it unreadable. A sealed record is opened here; its value decodes lazily.
   *
   * @param token the lease token the caller holds, or empty
   */
  Found read(byte[] storedKey, byte[] record, byte[] token) {
    String damage = RecordFormat.damage(storedKey, record, false);
    if (damage != null) {
      drop(storedKey, record, token);
      dropped.logOnce("damaged", "the record is damaged (" + damage + "); something other than tiercache"
          + " wrote to the cache's keys in Redis");
      return null;
    }
    if (unreadable.isUnreadable(storedKey, record)) {
      return null;
    }
    RecordFormat.checkSerializer(record, serializer, description);
    long expireAt = RecordFormat.expireAt(record);
    if (protection == null) {
      return new Found(storedKey, Envelope.decoded(expireAt, record, serializer,
          stored -> decodeValue(storedKey, stored, stored, RecordFormat.valueOffset(stored))));
    }
    RecordProtection.Opened opened = protection.open(storedKey,
        Arrays.copyOfRange(record, RecordFormat.HEADER_BYTES, record.length));
    if (opened == null) {
      // sealed with a master key this process lacks, or moved from another key or cache: left for the
      // processes that can read it, like a value this process cannot decode, and never a value here
      unreadable.remember(storedKey, record);
      dropped.counted();
      dropped.logOnce("unauthentic", "a record fails authentication here (sealed with a master key this"
          + " process lacks, or moved from another key or cache); it stays in Redis and reads as absent here");
      return null;
    }
    byte[] value = opened.record();
    return new Found(opened.keyBytes() == null ? storedKey : opened.keyBytes(),
        Envelope.decoded(expireAt, record, recordEncoder, stored -> decodeValue(storedKey, stored, value, 0)));
  }

  /**
   * Decodes a value. One this process cannot decode (its class is missing here, changed, or not allowlisted
   * here) is left in Redis for the processes that can, and read as absent by this one from then on: one
   * process must never delete what others share because its own class path or allowlist differs.
   *
   * @param record the record as stored, remembered when undecodable
   * @param value the bytes holding the plain value from {@code offset} on
   */
  private Object decodeValue(byte[] storedKey, byte[] record, byte[] value, int offset) {
    try {
      return serializer.deserialize(value, offset, value.length - offset);
    } catch (RuntimeException undecodable) {
      unreadable.remember(storedKey, record);
      String reason = String.valueOf(undecodable.getMessage());
      dropped.logOnce(reason, "its value cannot be decoded in this process (" + reason + "); it stays in Redis"
          + " for processes that can, and reads as absent here");
      throw new UndecodableRecordException("A record of " + description + " cannot be decoded here and reads as"
          + " absent in this process: " + reason, undecodable);
    }
  }

  /** Deletes a damaged record if it is still exactly that one, and counts it. */
  private void drop(byte[] keyBytes, byte[] record, byte[] token) {
    try {
      Long deleted = RedisScripts.DROP.run(commands(), ScriptOutputType.INTEGER,
          new byte[][] {keys.entry(keyBytes), keys.lease(keyBytes)}, record, token);
      if (deleted != null && deleted == 1) {
        dropped.counted();
      }
    } catch (RuntimeException e) {
      dropped.counted(); // the key reads as absent all the same; the record is met again next time
    }
  }

  @Override
  public long dropped() {
    return dropped.count();
  }

  // --------------------------------------------------------------------------------------------- writes

  @Override
  public Prepared prepare(K key, Object value) {
    return Prepared.serialized(value, serializer.serialize(value, RecordFormat.HEADER_BYTES), serializer);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    byte[] keyBytes = serializer.serializeKey(key);
    byte[] storedKey = storedKey(keyBytes);
    byte[] entry = keys.entry(storedKey);
    byte[] lease = keys.lease(storedKey);
    Object nearKey = nearKey(key, storedKey);
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(nearKey);
    try {
      byte[] token = LeaseProtocol.newToken();
      byte[] record = protocol.acquire(entry, lease, token);
      LeaseKeeper.Held held = leases.hold(lease, token);
      boolean settled = false;
      try {
        Envelope current = record == null ? null : decode(storedKey, record, token);
        Envelope replacement = remapper.remap(key, current);
        if (replacement == current || (replacement == null && current == null)) {
          protocol.commit(entry, lease, token, LeaseProtocol.RELEASE, EMPTY, EMPTY, EMPTY, storedKey);
          settled = true;
          return current;
        }
        if (replacement == null) {
          protocol.commit(entry, lease, token, LeaseProtocol.DELETE, EMPTY, EMPTY, head(), storedKey);
          settled = true;
          return null;
        }
        byte[] stored = encode(keyBytes, storedKey, replacement);
        protocol.commit(entry, lease, token, LeaseProtocol.SET, stored,
            expiryArgument(replacement.expireAtMillis()), head(), storedKey);
        settled = true;
        index(storedKey, replacement.expireAtMillis());
        return replacement;
      } finally {
        held.release();
        if (!settled) {
          protocol.releaseQuietly(entry, lease, token);
        }
      }
    } finally {
      endWrite(nearKey);
      local.unlock();
    }
  }

  /** The head of a published change, or nothing when this cache publishes none. */
  private byte[] head() {
    return publishing ? ChangeFeed.head(origin, clock.millis()) : EMPTY;
  }

  /** Stores a record without reading the old one: one script, which waits out another process's lease. */
  @Override
  public void put(K key, Envelope envelope) {
    byte[] keyBytes = serializer.serializeKey(key);
    byte[] storedKey = storedKey(keyBytes);
    byte[] entry = keys.entry(storedKey);
    byte[] lease = keys.lease(storedKey);
    byte[] record = encode(keyBytes, storedKey, envelope);
    byte[] expireAt = expiryArgument(envelope.expireAtMillis());
    Object nearKey = nearKey(key, storedKey);
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(nearKey);
    try {
      protocol.put(entry, lease, record, expireAt, this::head, storedKey);
      index(storedKey, envelope.expireAtMillis());
    } finally {
      endWrite(nearKey);
      local.unlock();
    }
  }

  /** Moves the expiry in the record's header alone (readable even when the value is sealed), in one step. */
  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    byte[] record = envelope.record();
    if (record == null || envelope.encoder() != recordEncoder || record.length < RecordFormat.HEADER_BYTES) {
      return;
    }
    byte[] storedKey = storedKey(serializer.serializeKey(key));
    byte[] moved = RecordFormat.stamp(storedKey, record, false, serializer.id(), expireAtMillis,
        RecordFormat.sequence(record));
    Object nearKey = nearKey(key, storedKey);
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(nearKey);
    try {
      calls.run("updating an expiry", () -> RedisScripts.TOUCH.run(commands(), ScriptOutputType.INTEGER,
          new byte[][] {keys.entry(storedKey), keys.lease(storedKey)},
          Arrays.copyOf(record, RecordFormat.HEADER_BYTES), Arrays.copyOf(moved, RecordFormat.HEADER_BYTES),
          expiryArgument(expireAtMillis)));
      index(storedKey, expireAtMillis);
    } finally {
      endWrite(nearKey);
      local.unlock();
    }
  }

  /**
   * Encodes an envelope: its own record bytes when they are this serializer's (or, sealed, this tier's own
   * record of the key, whose header alone is rewritten), otherwise serialized now; sealed when encrypted.
   */
  private byte[] encode(byte[] keyBytes, byte[] storedKey, Envelope envelope) {
    long sequence = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE; // tells two writes apart in TOUCH
    if (protection == null) {
      return RecordFormat.encode(keyBytes, envelope, serializer, sequence);
    }
    byte[] own = envelope.record();
    if (own != null && envelope.encoder() == recordEncoder) {
      // read from this tier under this key: the sealed value stays, its header moves (a record moved under
      // another key would fail authentication there: read as absent, never as this value)
      return RecordFormat.stamp(storedKey, own, false, serializer.id(), envelope.expireAtMillis(), sequence);
    }
    byte[] plain = RecordFormat.encode(keyBytes, envelope, serializer, sequence);
    byte[] sealed = protection.seal(storedKey, keyBytes,
        Arrays.copyOfRange(plain, RecordFormat.HEADER_BYTES, plain.length));
    byte[] record = new byte[RecordFormat.HEADER_BYTES + sealed.length];
    System.arraycopy(sealed, 0, record, RecordFormat.HEADER_BYTES, sealed.length);
    return RecordFormat.stamp(storedKey, record, true, serializer.id(), envelope.expireAtMillis(), sequence);
  }

  /** The PXAT argument for a record expiring at {@code expireAt}: with the grace period, or none. */
  private byte[] expiryArgument(long expireAt) {
    if (expireAt == Envelope.ETERNAL || expireAt > Long.MAX_VALUE - graceMillis) {
      return EMPTY;
    }
    return Long.toString(Math.max(1, expireAt + graceMillis)).getBytes(StandardCharsets.US_ASCII);
  }

  private void beginWrite(Object key) {
    if (near != null) {
      near.beginWrite(key);
    }
  }

  private void endWrite(Object key) {
    if (near != null) {
      near.endWrite(key);
    }
  }

  /** Indexes a record's expiry for the sweep, when this cache publishes its changes. */
  private void index(byte[] storedKey, long expireAt) {
    if (publishing) {
      sweep.index(storedKey, expireAt);
    }
  }

  /**
   * Returns the key of the entry stored under {@code storedKey}: decoded from it, or with hidden keys from its
   * record, read for it (null when it is gone or unreadable here).
   */
  K keyOf(byte[] storedKey) {
    if (!hidesKeys) {
      return decodeKey(storedKey);
    }
    byte[] record = calls.run("reading a key", () -> commands().get(keys.entry(storedKey)));
    Found found = record == null ? null : read(storedKey, record, EMPTY);
    return found == null ? null : decodeKey(found.keyBytes);
  }

  /** Reports entries that expired unread, while this process has listeners ({@link ExpirySweep}). */
  void sweep() {
    if (publishing) {
      sweep.sweep(this);
    }
  }

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    return scan.iterator();
  }

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] keyBytes) {
    return (K) serializer.deserializeKey(keyBytes, 0, keyBytes.length);
  }

  /** Counts the entries with SCAN over every master ({@link EntryScan#size}). */
  @Override
  public long size() {
    return scan.size();
  }

  @Override
  public long sizeForMonitoring() {
    return scan.sizeForMonitoring();
  }

  /** Deletes every entry of the cache on every master, in batches; concurrent writes may survive it. */
  @Override
  public void clear() {
    try {
      scan.deleteAll();
    } finally {
      if (near != null) {
        near.invalidateAll();
      }
    }
  }

  @Override
  public String problem() {
    String now = calls.problem();
    if (now == null && near != null && !near.isLive()) {
      return "the near cache is off: client tracking is not confirmed on every master, so reads go to Redis";
    }
    return now;
  }

  /** Returns the near cache's entry count, or -1 without one. */
  public long nearCacheSize() {
    return near == null ? -1 : near.size();
  }

  /** Returns how many reads the near cache answered (0 without one). */
  public long nearCacheHits() {
    return near == null ? 0 : near.hits();
  }

  /** Returns how many reads the near cache could not answer (0 without one). */
  public long nearCacheMisses() {
    return near == null ? 0 : near.misses();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return link.unwrap(type);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sweeping != null) {
      sweeping.cancel(false);
    }
    if (feed != null) {
      feed.close();
    }
    if (invalidations != null) {
      invalidations.close();
    }
    leases.close();
    link.close();
  }

  /**
   * Hands a change another process made to the listener, as envelopes of this tier. The change names the key it
   * is stored under; with hidden keys the key itself comes from the records.
   */
  void deliver(ChangeFeed.Change change) {
    byte[] storedKey = change.keyBytes;
    try {
      if (near != null) {
        near.invalidate(nearKeyOf(storedKey)); // the push may come later: a listener must not read older
      }
    } catch (RuntimeException undecodable) {
      return; // a key this process cannot read: it cannot be asked for here either
    }
    Found old = change.oldRecord == null ? null : read(storedKey, change.oldRecord, EMPTY);
    Found current = change.newRecord == null ? null : read(storedKey, change.newRecord, EMPTY);
    if (old == null && current == null) {
      return;
    }
    K key;
    try {
      key = decodeKey(current != null ? current.keyBytes : old.keyBytes);
    } catch (RuntimeException undecodable) {
      return;
    }
    listener.onRemoteChange(key, old == null ? null : old.envelope, current == null ? null : current.envelope,
        change.atMillis);
  }

  /**
   * Destroys the data key this tier's records are sealed with, which it keeps in Redis (crypto-shredding): run
   * when the cache is destroyed, after its entries were deleted.
   */
  @Override
  public boolean destroyKeys() {
    return calls.run("destroying the data key", () -> sharedProtection.destroy(items));
  }

  /** A stored key as the near cache's key, when keys are hidden: compared by its bytes. */
  private static final class HiddenKey {
    private final byte[] bytes;
    private final int hash;

    HiddenKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof HiddenKey hidden && Arrays.equals(bytes, hidden.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
