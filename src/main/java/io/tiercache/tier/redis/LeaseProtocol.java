package io.tiercache.tier.redis;

import io.lettuce.core.ScriptOutputType;
import io.tiercache.tier.TierException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The client side of the scripts that make a key's changes atomic across processes ({@link RedisScripts}):
 * taking a key's lease (waiting, with growing pauses, while another process holds it), committing under it,
 * releasing it, and a plain put that waits out other processes' leases. A wait lasts at most the lease time
 * plus the timeout: longer means the holder is stuck, and the caller is told so.
 */
final class LeaseProtocol {

  static final byte[] EMPTY = new byte[0];
  static final byte[] SET = {'S'};
  static final byte[] DELETE = {'D'};
  static final byte[] RELEASE = {'R'};

  private final RedisCalls calls;
  private final RedisKeys keys;
  private final long leaseMillis;
  private final byte[] leaseArgument;
  private final long waitNanos;
  private final String description;

  LeaseProtocol(RedisCalls calls, RedisKeys keys, RedisSettings settings, String description) {
    this.calls = calls;
    this.keys = keys;
    this.leaseMillis = settings.lease().toMillis();
    this.leaseArgument = Long.toString(leaseMillis).getBytes(StandardCharsets.US_ASCII);
    this.waitNanos = settings.timeout().toNanos() + leaseMillis * 1_000_000L;
    this.description = description;
  }

  /** Returns a fresh random token, which identifies one holding of a lease. */
  static byte[] newToken() {
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    return token;
  }

  /** Takes the key's lease, waiting while another process holds it; returns the record it guards, or null. */
  byte[] acquire(byte[] entry, byte[] lease, byte[] token) {
    long deadline = System.nanoTime() + waitNanos;
    long pause = 50_000; // ns; doubles up to 5 ms while the key is busy
    while (true) {
      List<Object> reply = calls.run("locking a key", () -> RedisScripts.ACQUIRE.run(calls.commands(),
          ScriptOutputType.MULTI, new byte[][] {entry, lease}, token, leaseArgument));
      if (((Long) reply.get(0)) == 1L) {
        return reply.size() > 1 ? (byte[]) reply.get(1) : null;
      }
      long left = reply.size() > 1 && reply.get(1) instanceof Long ? (Long) reply.get(1) : 1;
      pause = pause(deadline, pause, left);
    }
  }

  /**
   * Applies {@code operation} ({@link #SET}, {@link #DELETE} or {@link #RELEASE}) if {@code token} still holds
   * the lease, publishing the change with {@code head} (empty: nothing published), and releases the lease.
   *
   * @throws TierException when the lease was lost meanwhile: nothing was written
   */
  void commit(byte[] entry, byte[] lease, byte[] token, byte[] operation, byte[] record, byte[] expireAt,
      byte[] head, byte[] keyBytes) {
    // retried only while refused before it was sent; the token makes a second run a no-op in any case
    Long done = calls.run("writing a key", () -> RedisScripts.COMMIT.run(calls.commands(),
        ScriptOutputType.INTEGER, new byte[][] {entry, lease}, token, operation, record, expireAt, keys.channel(),
        head, keyBytes));
    if (done == null || done != 1L) {
      throw new TierException(description + ": the lease on a key expired before the change could be"
          + " committed (the change took longer than redis.lease = " + leaseMillis + " ms, or Redis restarted);"
          + " nothing was written", null);
    }
  }

  /** Releases a lease without changing the entry; a failure is left to the lease's own expiry. */
  void releaseQuietly(byte[] entry, byte[] lease, byte[] token) {
    try {
      RedisScripts.COMMIT.run(calls.commands(), ScriptOutputType.INTEGER, new byte[][] {entry, lease}, token,
          RELEASE, EMPTY, EMPTY, keys.channel(), EMPTY, EMPTY);
    } catch (RuntimeException e) {
      // the lease expires on its own
    }
  }

  /** Stores a record in one script, which waits while another process holds the key's lease. */
  void put(byte[] entry, byte[] lease, byte[] record, byte[] expireAt, java.util.function.Supplier<byte[]> head,
      byte[] keyBytes) {
    long deadline = System.nanoTime() + waitNanos;
    long pause = 50_000;
    while (true) {
      byte[] frameHead = head.get();
      Long left = calls.run("writing a key", () -> RedisScripts.PUT.run(calls.commands(),
          ScriptOutputType.INTEGER, new byte[][] {entry, lease}, record, expireAt, keys.channel(), frameHead,
          keyBytes));
      if (left == null || left < 0) {
        return;
      }
      pause = pause(deadline, pause, left);
    }
  }

  /** Waits before the next attempt on a busy key, or fails once the wait has lasted too long. */
  private long pause(long deadline, long pause, long leaseLeftMillis) {
    if (System.nanoTime() > deadline) {
      throw new TierException(description + ": a key stayed locked by another process for longer than"
          + " redis.lease (" + leaseMillis + " ms) plus redis.timeout; its holder may be stuck", null);
    }
    LockSupport.parkNanos(Math.min(pause, Math.max(leaseLeftMillis, 0) * 1_000_000L + 10_000));
    return Math.min(pause * 2, 5_000_000);
  }
}
