package io.tiercache.tier.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierException;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.UndecodableRecordException;
import io.tiercache.tier.serialized.DroppedRecords;
import io.tiercache.tier.serialized.RecordFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
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

  private static final long ETERNAL_MARK = Long.MAX_VALUE;
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] SET = {'S'};
  private static final byte[] DELETE = {'D'};
  private static final byte[] RELEASE = {'R'};
  private static final int SCAN_BATCH = 512;

  private final RedisLink link;
  private final RedisKeys keys;
  private final Serializer serializer;
  private final Clock clock;
  private final KeyLocks locks;
  private final NearCache<K> near;          // null without a near cache
  private final LeaseKeeper leases;
  private final DroppedRecords dropped;
  private final UnreadableRecords unreadable = new UnreadableRecords();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final TierListener<? super K> listener;
  private final long origin = ThreadLocalRandom.current().nextLong();
  private final boolean publishing;
  private final long leaseMillis;
  private final long graceMillis;
  private final long timeoutNanos;
  private final boolean missWhenUnreachable;
  private final String description;
  private Invalidations<K> invalidations;   // set once by the factory
  private ChangeFeed feed;                  // set once by the factory
  private java.util.concurrent.ScheduledFuture<?> sweeping; // set once by the factory
  private volatile String problem;

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
    this.leaseMillis = settings.lease().toMillis();
    this.graceMillis = settings.expiryGrace().toMillis();
    this.timeoutNanos = settings.timeout().toNanos();
    this.missWhenUnreachable = settings.whenUnreachable() == RedisSettings.WhenUnreachable.MISS;
    this.description = "redis:" + settings.describe() + "#" + keys.prefix();
    this.dropped = new DroppedRecords(description);
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
    return link.commands();
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
      record = withRetry(() -> commands().get(keys.entry(keyBytes)));
    } catch (RuntimeException e) {
      if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
        return null;
      }
      throw failed("reading a key", e);
    }
    reached();
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
      values = withRetry(() -> commands().mget(redisKeys));
    } catch (RuntimeException e) {
      if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
        return found;
      }
      throw failed("reading keys", e);
    }
    reached();
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
      byte[] token = newToken();
      byte[] record = acquire(entry, lease, token);
      LeaseKeeper.Held held = leases.hold(lease, token);
      boolean settled = false;
      try {
        Envelope current = record == null ? null : decode(keyBytes, record, token);
        Envelope replacement = remapper.remap(key, current);
        if (replacement == current || (replacement == null && current == null)) {
          commit(entry, lease, token, RELEASE, EMPTY, EMPTY, keyBytes);
          settled = true;
          return current;
        }
        if (replacement == null) {
          commit(entry, lease, token, DELETE, EMPTY, EMPTY, keyBytes);
          settled = true;
          return null;
        }
        byte[] stored = encode(keyBytes, replacement);
        commit(entry, lease, token, SET, stored, expiryArgument(replacement.expireAtMillis()), keyBytes);
        settled = true;
        index(keyBytes, replacement.expireAtMillis());
        return replacement;
      } finally {
        held.release();
        if (!settled) {
          releaseQuietly(entry, lease, token);
        }
      }
    } finally {
      endWrite(key);
      local.unlock();
    }
  }

  /** Takes the key's lease, waiting while another process holds it; returns the record it guards. */
  private byte[] acquire(byte[] entry, byte[] lease, byte[] token) {
    long deadline = System.nanoTime() + timeoutNanos + leaseMillis * 1_000_000L;
    long pause = 50_000; // ns; doubles up to 5 ms while the key is busy
    while (true) {
      List<Object> reply;
      try {
        reply = withRetry(() -> RedisScripts.ACQUIRE.run(commands(), ScriptOutputType.MULTI,
            new byte[][] {entry, lease}, token, Long.toString(leaseMillis).getBytes(StandardCharsets.US_ASCII)));
      } catch (RuntimeException e) {
        throw failed("locking a key", e);
      }
      reached();
      if (((Long) reply.get(0)) == 1L) {
        return reply.size() > 1 ? (byte[]) reply.get(1) : null;
      }
      if (System.nanoTime() > deadline) {
        throw new TierException(description + ": a key stayed locked by another process for longer than"
            + " redis.lease (" + leaseMillis + " ms) plus redis.timeout; its holder may be stuck", null);
      }
      long left = reply.size() > 1 && reply.get(1) instanceof Long ? (Long) reply.get(1) : 1;
      pauseNanos(Math.min(pause, Math.max(left, 0) * 1_000_000L + 10_000));
      pause = Math.min(pause * 2, 5_000_000);
    }
  }

  private void commit(byte[] entry, byte[] lease, byte[] token, byte[] operation, byte[] record, byte[] expireAt,
      byte[] keyBytes) {
    Long done;
    byte[] head = publishing && operation != RELEASE ? ChangeFeed.head(origin, clock.millis()) : EMPTY;
    try {
      // retried only while refused before it was sent; one that may have run is never sent twice (and the
      // token makes a second run a no-op in any case)
      done = withRetry(() -> RedisScripts.COMMIT.run(commands(), ScriptOutputType.INTEGER,
          new byte[][] {entry, lease}, token, operation, record, expireAt, keys.channel(), head, keyBytes));
    } catch (RuntimeException e) {
      throw failed("writing a key", e);
    }
    reached();
    if (done == null || done != 1L) {
      throw new TierException(description + ": the lease on a key expired before the change could be"
          + " committed (the change took longer than redis.lease = " + leaseMillis + " ms, or Redis restarted);"
          + " nothing was written", null);
    }
  }

  private void releaseQuietly(byte[] entry, byte[] lease, byte[] token) {
    try {
      RedisScripts.COMMIT.run(commands(), ScriptOutputType.INTEGER, new byte[][] {entry, lease}, token, RELEASE,
          EMPTY, EMPTY, keys.channel(), EMPTY, EMPTY);
    } catch (RuntimeException e) {
      // the lease expires on its own
    }
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
      long deadline = System.nanoTime() + timeoutNanos + leaseMillis * 1_000_000L;
      long pause = 50_000;
      while (true) {
        byte[] head = publishing ? ChangeFeed.head(origin, clock.millis()) : EMPTY;
        Long left;
        try {
          left = withRetry(() -> RedisScripts.PUT.run(commands(), ScriptOutputType.INTEGER,
              new byte[][] {entry, lease}, record, expireAt, keys.channel(), head, keyBytes));
        } catch (RuntimeException e) {
          throw failed("writing a key", e);
        }
        reached();
        if (left == null || left < 0) {
          index(keyBytes, envelope.expireAtMillis());
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new TierException(description + ": a key stayed locked by another process for longer than"
              + " redis.lease (" + leaseMillis + " ms) plus redis.timeout; its holder may be stuck", null);
        }
        pauseNanos(Math.min(pause, left * 1_000_000L + 10_000));
        pause = Math.min(pause * 2, 5_000_000);
      }
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
      RedisScripts.TOUCH.run(commands(), ScriptOutputType.INTEGER,
          new byte[][] {keys.entry(keyBytes), keys.lease(keyBytes)},
          Arrays.copyOf(record, RecordFormat.HEADER_BYTES), Arrays.copyOf(moved, RecordFormat.HEADER_BYTES),
          expiryArgument(expireAtMillis));
      reached();
      index(keyBytes, expireAtMillis);
    } catch (RuntimeException e) {
      throw failed("updating an expiry", e);
    } finally {
      endWrite(key);
      local.unlock();
    }
  }

  /** Encodes an envelope: its own record bytes when they are this serializer's, otherwise serialized now. */
  private byte[] encode(byte[] keyBytes, Envelope envelope) {
    long sequence = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE; // tells two writes apart in TOUCH
    byte[] record = envelope.record();
    if (record != null && envelope.encoder() == serializer) {
      return RecordFormat.stamp(keyBytes, record, envelope.ownsRecord(), serializer.id(),
          envelope.expireAtMillis(), sequence);
    }
    byte[] fresh = serializer.serialize(envelope.value(), RecordFormat.HEADER_BYTES);
    return RecordFormat.stamp(keyBytes, fresh, true, serializer.id(), envelope.expireAtMillis(), sequence);
  }

  /** The PXAT argument for a record expiring at {@code expireAt}: with the grace period, or none. */
  private byte[] expiryArgument(long expireAt) {
    if (expireAt == ETERNAL_MARK || expireAt > Long.MAX_VALUE - graceMillis) {
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

  // ----------------------------------------------------------------------------------------- expiry sweep

  /**
   * Indexes a record's expiry for {@link #sweep}, without waiting for the reply: an index entry lost to a crash
   * costs only the event of an entry nobody reads, which Redis reclaims all the same.
   */
  private void index(byte[] keyBytes, long expireAt) {
    if (!publishing || expireAt == ETERNAL_MARK) {
      return;
    }
    try {
      link.async().zadd(keys.expiries(), (double) expireAt, keyBytes);
    } catch (RuntimeException e) {
      // as if lost to a crash
    }
  }

  /** How long an entry must have been expired before the sweep reports it; an access reports it at once. */
  static final long SWEEP_DELAY_MILLIS = 1_000;

  /**
   * Reports entries that expired and that nobody read since: while this process has listeners, it removes
   * entries expired for at least {@link #SWEEP_DELAY_MILLIS}, through {@link #compute} (so exactly one process
   * removes each, and the change reaches the others as an expiry), and tells the listener. Without it, such an
   * entry would vanish in Redis's own reclamation without any event.
   */
  void sweep() {
    if (!publishing || !listener.listening()) {
      return;
    }
    long cutoff = clock.millis() - SWEEP_DELAY_MILLIS;
    List<byte[]> due = commands().zrangebyscore(keys.expiries(), io.lettuce.core.Range.create(0, cutoff),
        io.lettuce.core.Limit.create(0, 256));
    byte[] until = Long.toString(cutoff).getBytes(StandardCharsets.US_ASCII);
    for (byte[] keyBytes : due) {
      try {
        K key = decodeKey(keyBytes);
        Envelope[] expired = new Envelope[1];
        Envelope kept = compute(key, (k, current) -> {
          if (current != null && current.expireAtMillis() <= cutoff) {
            expired[0] = current;
            return null;
          }
          return current;
        });
        if (expired[0] != null) {
          listener.onRemoval(key, expired[0], io.tiercache.tier.RemovalCause.EXPIRED); // once committed
        } else if (kept != null) {
          index(keyBytes, kept.expireAtMillis()); // its expiry moved later: indexed again, not forgotten
        }
      } catch (RuntimeException e) {
        // an undecodable key or record, or Redis failing: unindexed all the same
      }
      RedisScripts.UNINDEX.run(commands(), ScriptOutputType.INTEGER, new byte[][] {keys.expiries()}, keyBytes,
          until);
    }
  }

  // ------------------------------------------------------------------------------------------ iteration

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    return new Iterator<>() {
      private final Set<ByteBuffer> seen = new HashSet<>(); // SCAN may return a key twice
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
          batch = withRetry(() -> commands().scan(from, ScanArgs.Builder.matches(keys.scanPattern())
              .limit(SCAN_BATCH)));
        } catch (RuntimeException e) {
          if (missWhenUnreachable && RedisLink.isUnreachable(e)) {
            finished = true;
            return;
          }
          throw failed("iterating", e);
        }
        cursor = batch;
        finished = batch.isFinished();
        List<byte[]> fresh = new ArrayList<>();
        for (byte[] redisKey : batch.getKeys()) {
          if (keys.isEntry(redisKey) && seen.add(ByteBuffer.wrap(redisKey))) {
            fresh.add(redisKey);
          }
        }
        if (fresh.isEmpty()) {
          return;
        }
        List<KeyValue<byte[], byte[]>> values;
        try {
          values = withRetry(() -> commands().mget(fresh.toArray(new byte[0][])));
        } catch (RuntimeException e) {
          throw failed("iterating", e);
        }
        for (int i = 0; i < fresh.size(); i++) {
          KeyValue<byte[], byte[]> value = values.get(i);
          if (value == null || !value.hasValue()) {
            continue; // removed since the scan saw it
          }
          byte[] keyBytes = keys.keyBytesOf(fresh.get(i));
          Envelope envelope = decode(keyBytes, value.getValue(), EMPTY);
          if (envelope == null) {
            continue;
          }
          K key;
          try {
            key = decodeKey(keyBytes);
          } catch (RuntimeException undecodable) {
            // left for the processes that can read it, like an undecodable value
            dropped.logOnce("key: " + undecodable.getMessage(), "its key cannot be decoded in this process: "
                + undecodable.getMessage() + "; it stays in Redis and is skipped here");
            continue;
          }
          ready.add(Map.entry(key, envelope));
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

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] keyBytes) {
    return (K) serializer.deserializeKey(keyBytes, 0, keyBytes.length);
  }

  /** Runs {@code batch} on every batch of the cache's entry keys, as SCAN over every master returns them. */
  private void forEachKeyBatch(java.util.function.Consumer<List<byte[]>> batch) {
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> keysFound = withRetry(() -> commands().scan(from,
          ScanArgs.Builder.matches(keys.scanPattern()).limit(SCAN_BATCH)));
      if (!keysFound.getKeys().isEmpty()) {
        batch.accept(keysFound.getKeys());
      }
      if (keysFound.isFinished()) {
        return;
      }
      cursor = keysFound;
    }
  }

  /**
   * Counts the cache's entries with SCAN over every master: it reads every key name, and may count a key twice
   * while Redis resizes its table.
   */
  @Override
  public long size() {
    long[] count = new long[1];
    try {
      forEachKeyBatch(batch -> count[0] += batch.size());
      return count[0];
    } catch (RuntimeException e) {
      throw failed("counting entries", e);
    }
  }

  private volatile long monitoredSize = -1;
  private volatile long monitoredAt;

  /** The entry count, counted again at most every ten seconds: monitoring must not scan Redis at every poll. */
  @Override
  public long sizeForMonitoring() {
    long now = System.nanoTime();
    if (monitoredSize < 0 || now - monitoredAt > java.util.concurrent.TimeUnit.SECONDS.toNanos(10)) {
      monitoredSize = size();
      monitoredAt = now;
    }
    return monitoredSize;
  }

  /** Deletes every entry of the cache on every master, in batches; concurrent writes may survive it. */
  @Override
  public void clear() {
    try {
      forEachKeyBatch(batch -> {
        byte[][] doomed = batch.toArray(new byte[0][]);
        withRetry(() -> commands().unlink(doomed));
      });
      byte[] index = keys.expiries();
      withRetry(() -> commands().unlink(index)); // its entries all name deleted keys now
    } catch (RuntimeException e) {
      throw failed("clearing", e);
    } finally {
      if (near != null) {
        near.invalidateAll();
      }
    }
  }

  // ------------------------------------------------------------------------------------------- plumbing

  /**
   * Runs a command, again while it is rejected before being sent (disconnected, cluster reconfiguring) and
   * the timeout has not passed: a failover or a reconnect then completes under the caller.
   */
  private <T> T withRetry(java.util.function.Supplier<T> command) {
    long deadline = System.nanoTime() + timeoutNanos;
    long pause = 1_000_000;
    while (true) {
      try {
        return command.get();
      } catch (RuntimeException e) {
        if (!RedisLink.wasNotSent(e) || System.nanoTime() + pause > deadline) {
          throw e;
        }
        pauseNanos(pause);
        pause = Math.min(pause * 2, 100_000_000);
      }
    }
  }

  private TierException failed(String action, RuntimeException e) {
    if (e instanceof UndecodableRecordException) {
      throw e;
    }
    TierException failure = link.failure(action, e);
    problem = failure.getMessage();
    return failure;
  }

  private void reached() {
    if (problem != null) {
      problem = null;
    }
  }

  @Override
  public String problem() {
    String now = problem;
    if (now == null && near != null && !near.isLive()) {
      return "the near cache is off: client tracking is not confirmed on every master, so reads go to Redis";
    }
    return now;
  }

  private static byte[] newToken() {
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    return token;
  }

  private static void pauseNanos(long nanos) {
    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
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

  /** Hands a change another process made to {@code listener}, as envelopes of this tier. */
  void deliver(ChangeFeed.Change change, TierListener<? super K> listener) {
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
