package io.tiercache.tier.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.push.PushMessage;
import io.tiercache.tier.ReadCopies;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ReadCopies} coherent with Redis through client tracking: one RESP3 connection to each master
 * with {@code CLIENT TRACKING ON BCAST PREFIX <the cache's entry prefix>}, so Redis pushes the name of every
 * entry key of the cache that anybody changes (or that expires or is evicted), and an empty push when a
 * database is flushed.
 *
 * <p>The near cache serves only while every current master has a tracking connection that is up and whose
 * tracking was confirmed: a connection that drops turns it off and empties it (invalidations may be lost
 * while it is down); once it is back, tracking is switched on again and only then does the near cache serve
 * again, starting empty. The set of masters is checked every second, so a failover in a cluster moves
 * tracking to the promoted replica; while the masters the client knows do not serve every slot, the near
 * cache is off.
 *
 * @param <K> the key type
 */
final class Invalidations<K> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Invalidations.class);

  private final RedisLink link;
  private final RedisKeys keys;
  private final ReadCopies<K> near;
  private final Function<byte[], K> keyDecoder;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Tracker> trackers = new HashMap<>(); // by host:port; guarded by this
  private ScheduledFuture<?> check;
  private volatile boolean closed;
  /** Raised by every disconnection, so a check that raced with one cannot switch the near cache on. */
  private final java.util.concurrent.atomic.AtomicLong disconnections = new java.util.concurrent.atomic.AtomicLong();
  /**
   * Where pushes are applied: decoding a key may ask Redis for a class id, which must never happen on the I/O
   * thread that delivers the push (it would wait for itself). One thread for the process keeps each
   * connection's pushes in order.
   */
  private static final java.util.concurrent.ExecutorService APPLYING =
      java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tiercache-redis-invalidations");
        thread.setDaemon(true);
        return thread;
      });

  /**
   * @param keyDecoder turns the key bytes of an invalidated entry back into its key
   */
  Invalidations(RedisLink link, RedisKeys keys, ReadCopies<K> near, Function<byte[], K> keyDecoder,
      ScheduledExecutorService scheduler) {
    this.link = link;
    this.keys = keys;
    this.near = near;
    this.keyDecoder = keyDecoder;
    this.scheduler = scheduler;
  }

  /** Opens tracking on every master, then checks the masters every second. */
  void start() {
    reconcile();
    check = scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 1, 1, TimeUnit.SECONDS);
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.debug("Checking client tracking of {} failed: {}", keys.prefix(), e.toString());
      near.setLive(false);
    }
  }

  /**
   * Opens tracking on new masters, closes it on nodes that are masters no more, re-enables dropped ones, and
   * pings every tracking connection (a connection that died silently fails the ping; one that answers has
   * delivered every push sent before the answer).
   */
  synchronized void reconcile() {
    if (closed) {
      return;
    }
    List<RedisURI> masters = link.masters();
    if (masters == null) {
      near.setLive(false); // slots without a known master: their changes could go unheard
      return;
    }
    Set<String> current = new HashSet<>();
    boolean changed = false;
    for (RedisURI master : masters) {
      String address = RedisAddresses.hostAndPort(master);
      current.add(address);
      Tracker tracker = trackers.get(address);
      if (tracker == null) {
        changed = true;
        tracker = new Tracker(address);
        trackers.put(address, tracker);
      }
      if (tracker.dedicated == null) {
        tracker.open(master); // a first attempt, or one that failed before
      } else if (!tracker.confirmed && tracker.isOpen()) {
        tracker.enable();
      }
    }
    for (String address : new ArrayList<>(trackers.keySet())) {
      if (!current.contains(address)) {
        changed = true;
        trackers.remove(address).close();
      }
    }
    if (changed) {
      // a master that was not tracked until now may have changed keys meanwhile: start again, empty
      near.setLive(false);
    }
    for (Tracker tracker : trackers.values()) {
      tracker.ping();
    }
    updateLive();
  }

  private synchronized void updateLive() {
    long before = disconnections.get();
    boolean allConfirmed = !trackers.isEmpty() && link.masters() != null;
    for (Tracker tracker : trackers.values()) {
      allConfirmed &= tracker.confirmed && tracker.isOpen();
    }
    if (allConfirmed != near.isLive()) {
      near.setLive(allConfirmed);
    }
    if (allConfirmed && disconnections.get() != before) {
      near.setLive(false); // a connection dropped while this check ran: the next check decides again
    }
  }

  /** Handles one push: the keys to forget, or (no keys) everything. */
  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(Invalidations::bytes);
    Object invalidated = content.size() > 1 ? content.get(1) : null;
    if (!(invalidated instanceof List)) {
      near.invalidateAll(); // a flush: Redis names no keys
      return;
    }
    for (Object name : (List<?>) invalidated) {
      if (!(name instanceof byte[])) {
        near.invalidateAll();
        return;
      }
      byte[] redisKey = (byte[]) name;
      if (!keys.isEntry(redisKey)) {
        continue;
      }
      K key;
      try {
        key = keyDecoder.apply(keys.keyBytesOf(redisKey));
      } catch (RuntimeException undecodable) {
        near.invalidateAll(); // cannot tell which key: forget them all rather than keep a stale one
        continue;
      }
      near.invalidate(key);
    }
  }

  private static Object bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (check != null) {
      check.cancel(false);
    }
    near.setLive(false);
    trackers.values().forEach(Tracker::close);
    trackers.clear();
  }

  /** Tracking on one master. */
  private final class Tracker implements RedisConnectionStateListener {
    private final String address;
    private RedisLink.Dedicated dedicated;
    private volatile boolean confirmed;
    private volatile boolean retired; // closed on purpose: its disconnection says nothing about the others

    Tracker(String address) {
      this.address = address;
    }

    void open(RedisURI master) {
      if (dedicated != null) {
        return;
      }
      try {
        dedicated = link.connectDedicated(master);
      } catch (RuntimeException e) {
        LOG.warn("Near cache of {}: cannot open client tracking on {} ({}); it serves nothing until it can",
            keys.prefix(), address, RedisLink.reason(e));
        return;
      }
      dedicated.connection.addListener(message -> APPLYING.execute(() -> onPushQuietly(message)));
      dedicated.connection.addListener(this);
      enable();
    }

    boolean isOpen() {
      return dedicated != null && dedicated.connection.isOpen();
    }

    /** Checks that the connection still answers; one that does not is no longer trusted to deliver pushes. */
    void ping() {
      if (dedicated == null || !confirmed) {
        return;
      }
      try {
        dedicated.connection.sync().ping();
      } catch (RuntimeException e) {
        confirmed = false;
        near.setLive(false);
      }
    }

    /** Switches tracking on (off first: a reconnected connection may or may not still have it). */
    void enable() {
      if (dedicated == null) {
        return;
      }
      try {
        dedicated.connection.sync().clientTracking(TrackingArgs.Builder.enabled(false));
        dedicated.connection.sync().clientTracking(TrackingArgs.Builder.enabled().bcast()
            .prefixes(StandardCharsets.ISO_8859_1, new String(keys.entryPrefix(), StandardCharsets.ISO_8859_1)));
        confirmed = true;
      } catch (RuntimeException e) {
        confirmed = false;
        LOG.debug("Client tracking on {} not enabled yet: {}", address, RedisLink.reason(e));
      }
    }

    private void onPushQuietly(PushMessage message) {
      try {
        onPush(message);
      } catch (RuntimeException e) {
        near.invalidateAll();
        LOG.warn("Near cache of {}: an invalidation could not be applied ({}); emptied it", keys.prefix(),
            e.toString());
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      confirmed = false;
      if (retired) {
        return;
      }
      disconnections.incrementAndGet();
      near.setLive(false); // invalidations may be missed from now on
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
      if (!closed) {
        // commands must not run on the I/O thread that tells us this
        scheduler.execute(() -> {
          synchronized (Invalidations.this) {
            if (!closed && trackers.get(address) == this) {
              enable();
              updateLive();
            }
          }
        });
      }
    }

    void close() {
      retired = true;
      confirmed = false;
      if (dedicated != null) {
        dedicated.close();
      }
    }
  }
}
