package io.tiercache.tier.redis;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.tiercache.tier.TierException;
import io.tiercache.tier.UndecodableRecordException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How a Redis tier runs its commands: again while one is refused before it was sent (disconnected, a cluster
 * reconfiguring), until the timeout, so a failover or a reconnect completes under the caller; and with every
 * failure turned into an exception that names the server, remembered as the tier's current problem until a
 * command succeeds again.
 */
final class RedisCalls {

  private final RedisLink link;
  private final long timeoutNanos;
  private volatile String problem;

  RedisCalls(RedisLink link) {
    this.link = link;
    this.timeoutNanos = link.settings().timeout().toNanos();
  }

  /** Returns the commands of the main connection. */
  RedisClusterCommands<byte[], byte[]> commands() {
    return link.commands();
  }

  /**
   * Runs a command, again while it was refused unsent and the timeout has not passed.
   *
   * @param action what the command does, for the message of a failure, such as {@code reading a key}
   * @throws TierException naming the server, the action and the cause
   */
  <T> T run(String action, Supplier<T> command) {
    try {
      return retrying(command);
    } catch (RuntimeException e) {
      throw failed(action, e);
    }
  }

  /**
   * Like {@link #run}, but throws Lettuce's own exception, for callers that tell failures apart first (and
   * then call {@link #failed}).
   */
  <T> T retrying(Supplier<T> command) {
    long deadline = System.nanoTime() + timeoutNanos;
    long pause = 1_000_000;
    while (true) {
      try {
        T result = command.get();
        if (problem != null) {
          problem = null; // the server answers again
        }
        return result;
      } catch (RuntimeException e) {
        if (!RedisLink.wasNotSent(e) || System.nanoTime() + pause > deadline) {
          throw e;
        }
        LockSupport.parkNanos(pause);
        pause = Math.min(pause * 2, 100_000_000);
      }
    }
  }

  /** Turns a failure into the tier's exception and remembers it as the current problem. */
  TierException failed(String action, RuntimeException e) {
    if (e instanceof UndecodableRecordException) {
      throw e;
    }
    TierException failure = link.failure(action, e);
    problem = failure.getMessage();
    return failure;
  }

  /** Returns the last failure, until a command succeeds again; or null. */
  String problem() {
    return problem;
  }
}
