package io.tiercache.expiry;

import io.tiercache.tier.Envelope;
import java.time.Clock;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a JCache {@link ExpiryPolicy} into expiry instants on the cache's clock. Internal: not API.
 *
 * <p>As JSR-107 prescribes, a policy that throws is treated as if it had returned the default: eternal for a
 * creation, "unchanged" for an access or an update. The failure is logged, not propagated, so a broken
 * policy never loses a write.
 */
public final class ExpiryCalculator {

  /** Returned by {@link #forAccess} and {@link #forUpdate} when the expiry instant stays as it is. */
  public static final long UNCHANGED = Long.MIN_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(ExpiryCalculator.class);

  private final ExpiryPolicy policy;
  private final Clock clock;
  private final boolean eternal;
  private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param policy the cache's policy
   * @param clock the cache's clock
   */
  public ExpiryCalculator(ExpiryPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
    this.eternal = policy instanceof EternalExpiryPolicy;
  }

  /** Returns the policy itself, so the cache can close it. */
  public ExpiryPolicy policy() {
    return policy;
  }

  /** Returns true when the policy is the eternal one, so no entry ever expires. */
  public boolean isEternal() {
    return eternal;
  }

  /**
   * Returns the current time of the cache's clock, in epoch milliseconds; 0 for an eternal cache, whose
   * entries never expire, so its hot paths never read the clock.
   */
  public long now() {
    return eternal ? 0L : clock.millis();
  }

  /** Returns the cache's clock. */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the expiry instant of a new entry; an instant at or before {@code now} (from
   * {@link Duration#ZERO}) means the entry must not be stored.
   */
  public long forCreation(long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      report("getExpiryForCreation; treating the entry as eternal", e);
      return Envelope.ETERNAL;
    }
    return duration == null ? Envelope.ETERNAL : instant(duration, now);
  }

  /** Returns the new expiry instant after an access, or {@link #UNCHANGED}. */
  public long forAccess(long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForAccess();
    } catch (RuntimeException e) {
      report("getExpiryForAccess; leaving the expiry unchanged", e);
      return UNCHANGED;
    }
    return duration == null ? UNCHANGED : instant(duration, now);
  }

  /** Returns the new expiry instant after an update, or {@link #UNCHANGED}. */
  public long forUpdate(long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForUpdate();
    } catch (RuntimeException e) {
      report("getExpiryForUpdate; leaving the expiry unchanged", e);
      return UNCHANGED;
    }
    return duration == null ? UNCHANGED : instant(duration, now);
  }

  /** A broken policy is reported loudly once, then quietly: it may throw on every operation. */
  private void report(String what, RuntimeException e) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("ExpiryPolicy {} threw from {} (reported once; later failures are logged at debug)", policy, what, e);
    } else {
      LOG.debug("ExpiryPolicy {} threw from {}", policy, what, e);
    }
  }

  private static long instant(Duration duration, long now) {
    if (duration.isEternal()) {
      return Envelope.ETERNAL;
    }
    if (duration.isZero()) {
      return now;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    if (millis == 0) {
      millis = 1; // a positive duration below one millisecond still outlives "now"
    }
    long instant = now + millis;
    return instant < now || instant == Envelope.ETERNAL ? Envelope.ETERNAL - 1 : instant;
  }
}
