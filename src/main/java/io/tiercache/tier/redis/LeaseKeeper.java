package io.tiercache.tier.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases this process holds, every third of the lease time, so that a remapper that runs long (a
 * slow loader or writer) keeps its key while the process lives, and a process that dies lets go within one
 * lease time. Holding a lease costs one map entry; only leases held across a renewal tick cost a command.
 */
final class LeaseKeeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final RedisLink link;
  private final byte[] leaseMillis;
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> renewal;

  LeaseKeeper(RedisLink link, ScheduledExecutorService scheduler) {
    this.link = link;
    long millis = link.settings().lease().toMillis();
    this.leaseMillis = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
    long period = Math.max(10, millis / 3);
    this.renewal = scheduler.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
  }

  /** Registers a lease just taken; the caller releases it when it lets go of the key. */
  Held hold(byte[] leaseKey, byte[] token) {
    Held lease = new Held(leaseKey, token, System.nanoTime());
    held.add(lease);
    return lease;
  }

  private void renewAll() {
    for (Held lease : held) {
      try {
        RedisScripts.RENEW.run(link.commands(), ScriptOutputType.INTEGER, new byte[][] {lease.key}, lease.token,
            leaseMillis);
      } catch (RuntimeException e) {
        LOG.debug("Renewing a lease failed: {}", e.toString()); // the commit will tell if it was lost
      }
    }
  }

  @Override
  public void close() {
    renewal.cancel(false);
    held.clear();
  }

  /** One lease this process holds. */
  final class Held {
    final byte[] key;
    final byte[] token;
    final long since;

    Held(byte[] key, byte[] token, long since) {
      this.key = key;
      this.token = token;
      this.since = since;
    }

    /** Stops renewing it. */
    void release() {
      held.remove(this);
    }
  }
}
