package io.tiercache.tier.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.UndecodableRecordException;
import io.tiercache.tier.serialized.DroppedRecords;
import io.tiercache.tier.serialized.RecordFormat;
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
 * <p><b>Near cache.</b> With a {@link NearCache}, reads are served from the heap while Redis's client tracking
 * vouches that nothing changed ({@link Invalidations}); every write of this process removes the key from it.
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
  private final NearCache<K> near;          // null without a near cache
  private final LeaseKeeper leases;
  private final TierListener<? super K> listener;
  private final DroppedRecords dropped;
  private final UnreadableRecords unreadable = new UnreadableRecords();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final long origin = ThreadLocalRandom.current().nextLong();
  private final boolean publishing;
  private final long graceMillis;
  private final boolean missWhenUnreachable;
  private final String description;
  private Invalidations<K> invalidations;   // set once by the factory
  private ChangeFeed feed;                  // set once by the factory
  private java.util.concurrent.ScheduledFuture<?> sweeping; // set once by the factory

  RedisTier(RedisLink link, RedisKeys keys, Serializer serializer, Clock clock, NearCache<K> near,
      LeaseKeeper leases, boolean publishing, TierListener<? super K> listener) {
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
    this.protocol = new LeaseProtocol(calls, keys, settings, description);
    this.scan = new EntryScan<>(calls, keys, (keyBytes, record) -> decode(keyBytes, record, EMPTY),
        this::decodeKey, dropped, missWhenUnreachable);
    this.sweep = new ExpirySweep<>(calls, link, keys, clock, listener);
  }

  void attach(Invalidations<K> invalidations) {
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

  @Override
  public Envelope get(K key) {
    NearCache<K> near = this.near;
    if (near != null) {
      Envelope kept = near.get(key);
      if (kept != null) {
        return kept;
      }
    }
    long stamp = near == null ? 0 : near.stamp(key);
    byte[] keyBytes = serializer.serializeKey(key);
    byte[] record;
    try {
      record = calls.retrying(() -> commands().get(keys.entry(keyBytes)));
    } catch (RuntimeException e) {
      if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
        return null;
      }
      throw calls.failed("reading a key", e);
    }
    if (record == null) {
      return null;
    }
    Envelope envelope = decode(keyBytes, record, EMPTY);
    if (envelope != null && near != null) {
      Envelope kept = Envelope.shared(envelope.value(), envelope.expireAtMillis(), record, serializer);
      near.offer(key, stamp, kept);
      return kept;
    }
    return envelope;
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> wanted) {
    Map<K, Envelope> found = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    for (K key : wanted) {
      Envelope kept = near == null ? null : near.get(key);
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
      stamps[i] = near == null ? 0 : near.stamp(missing.get(i));
      keyBytes[i] = serializer.serializeKey(missing.get(i));
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

  /**
   * The envelope of a record read under {@code keyBytes}, or null when the record is damaged (it is then
   * deleted and counted: damaged bytes are damaged for every process) or when this process already found it
   * undecodable. The value decodes lazily.
   *
   * @param token the lease token the caller holds, or empty
   */
  private Envelope decode(byte[] keyBytes, byte[] record, byte[] token) {
    String damage = RecordFormat.damage(keyBytes, record, false);
    if (damage != null) {
      drop(keyBytes, record, token);
      dropped.logOnce("damaged", "the record is damaged (" + damage + "); something other than tiercache"
          + " wrote to the cache's keys in Redis");
      return null;
    }
    if (unreadable.isUnreadable(keyBytes, record)) {
      return null;
    }
    RecordFormat.checkSerializer(record, serializer, description);
    return Envelope.decoded(RecordFormat.expireAt(record), record, serializer,
        stored -> decodeValue(keyBytes, stored));
  }

  /**
   * Decodes a value. One this process cannot decode (its class is missing here, changed, or not allowlisted
   * here) is left in Redis for the processes that can, and read as absent by this one from then on: one
   * process must never delete what others share because its own class path or allowlist differs.
   */
  private Object decodeValue(byte[] keyBytes, byte[] record) {
    int offset = RecordFormat.valueOffset(record);
    try {
      return serializer.deserialize(record, offset, record.length - offset);
    } catch (RuntimeException undecodable) {
      unreadable.remember(keyBytes, record);
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
    byte[] entry = keys.entry(keyBytes);
    byte[] lease = keys.lease(keyBytes);
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(key);
    try {
      byte[] token = LeaseProtocol.newToken();
      byte[] record = protocol.acquire(entry, lease, token);
      LeaseKeeper.Held held = leases.hold(lease, token);
      boolean settled = false;
      try {
        Envelope current = record == null ? null : decode(keyBytes, record, token);
        Envelope replacement = remapper.remap(key, current);
        if (replacement == current || (replacement == null && current == null)) {
          protocol.commit(entry, lease, token, LeaseProtocol.RELEASE, EMPTY, EMPTY, EMPTY, keyBytes);
          settled = true;
          return current;
        }
        if (replacement == null) {
          protocol.commit(entry, lease, token, LeaseProtocol.DELETE, EMPTY, EMPTY, head(), keyBytes);
          settled = true;
          return null;
        }
        byte[] stored = encode(keyBytes, replacement);
        protocol.commit(entry, lease, token, LeaseProtocol.SET, stored,
            expiryArgument(replacement.expireAtMillis()), head(), keyBytes);
        settled = true;
        index(keyBytes, replacement.expireAtMillis());
        return replacement;
      } finally {
        held.release();
        if (!settled) {
          protocol.releaseQuietly(entry, lease, token);
        }
      }
    } finally {
      endWrite(key);
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
    byte[] entry = keys.entry(keyBytes);
    byte[] lease = keys.lease(keyBytes);
    byte[] record = encode(keyBytes, envelope);
    byte[] expireAt = expiryArgument(envelope.expireAtMillis());
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(key);
    try {
      protocol.put(entry, lease, record, expireAt, this::head, keyBytes);
      index(keyBytes, envelope.expireAtMillis());
    } finally {
      endWrite(key);
      local.unlock();
    }
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    byte[] record = envelope.record();
    if (record == null || envelope.encoder() != serializer || record.length < RecordFormat.HEADER_BYTES) {
      return;
    }
    byte[] keyBytes = serializer.serializeKey(key);
    byte[] moved = RecordFormat.stamp(keyBytes, record, false, serializer.id(), expireAtMillis,
        RecordFormat.sequence(record));
    ReentrantLock local = locks.lockFor(key);
    local.lock();
    beginWrite(key);
    try {
      calls.run("updating an expiry", () -> RedisScripts.TOUCH.run(commands(), ScriptOutputType.INTEGER,
          new byte[][] {keys.entry(keyBytes), keys.lease(keyBytes)},
          Arrays.copyOf(record, RecordFormat.HEADER_BYTES), Arrays.copyOf(moved, RecordFormat.HEADER_BYTES),
          expiryArgument(expireAtMillis)));
      index(keyBytes, expireAtMillis);
    } finally {
      endWrite(key);
      local.unlock();
    }
  }

  /** Encodes an envelope: its own record bytes when they are this serializer's, otherwise serialized now. */
  private byte[] encode(byte[] keyBytes, Envelope envelope) {
    long sequence = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE; // tells two writes apart in TOUCH
    return RecordFormat.encode(keyBytes, envelope, serializer, sequence);
  }

  /** The PXAT argument for a record expiring at {@code expireAt}: with the grace period, or none. */
  private byte[] expiryArgument(long expireAt) {
    if (expireAt == Envelope.ETERNAL || expireAt > Long.MAX_VALUE - graceMillis) {
      return EMPTY;
    }
    return Long.toString(Math.max(1, expireAt + graceMillis)).getBytes(StandardCharsets.US_ASCII);
  }

  private void beginWrite(K key) {
    if (near != null) {
      near.beginWrite(key);
    }
  }

  private void endWrite(K key) {
    if (near != null) {
      near.endWrite(key);
    }
  }

  /** Indexes a record's expiry for the sweep, when this cache publishes its changes. */
  private void index(byte[] keyBytes, long expireAt) {
    if (publishing) {
      sweep.index(keyBytes, expireAt);
    }
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

  /** Hands a change another process made to the listener, as envelopes of this tier. */
  void deliver(ChangeFeed.Change change) {
    K key;
    try {
      key = decodeKey(change.keyBytes);
    } catch (RuntimeException undecodable) {
      return; // a key this process cannot read: it cannot be asked for here either
    }
    if (near != null) {
      near.invalidate(key); // the push may come later: a listener reading the key must not get an older value
    }
    Envelope old = change.oldRecord == null ? null : decode(change.keyBytes, change.oldRecord, EMPTY);
    Envelope current = change.newRecord == null ? null : decode(change.keyBytes, change.newRecord, EMPTY);
    if (old == null && current == null) {
      return;
    }
    listener.onRemoteChange(key, old, current, change.atMillis);
  }
}
