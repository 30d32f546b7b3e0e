package io.tiercache.cli;

import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The expiry policy of a cache being imported into: each entry keeps the expiry instant it was exported with.
 * The importing thread names the instant before it stores the entry ({@link #storing}); JCache asks the policy
 * for a duration at that moment, which is the time left until the instant. Accesses leave expiry alone.
 */
final class ImportExpiry implements ExpiryPolicy {

  private static final ThreadLocal<Long> EXPIRE_AT = new ThreadLocal<>();

  /** Sets the expiry instant of the entries this thread stores next; null for entries that never expire. */
  static void storing(Long expireAtMillis) {
    if (expireAtMillis == null) {
      EXPIRE_AT.remove();
    } else {
      EXPIRE_AT.set(expireAtMillis);
    }
  }

  /** Returns a factory of this policy, for a cache configuration. */
  static Factory<ExpiryPolicy> factory() {
    return new ImportExpiryFactory();
  }

  @Override
  public Duration getExpiryForCreation() {
    return remaining();
  }

  @Override
  public Duration getExpiryForUpdate() {
    return remaining();
  }

  @Override
  public Duration getExpiryForAccess() {
    return null;
  }

  private static Duration remaining() {
    Long expireAt = EXPIRE_AT.get();
    if (expireAt == null) {
      return Duration.ETERNAL;
    }
    // at least a millisecond: Duration.ZERO would mean "expired already", which the importer skipped
    return new Duration(TimeUnit.MILLISECONDS, Math.max(1, expireAt - System.currentTimeMillis()));
  }

  /** A serializable factory, as cache configurations require. */
  private static final class ImportExpiryFactory implements Factory<ExpiryPolicy> {
    private static final long serialVersionUID = 1L;

    @Override
    public ExpiryPolicy create() {
      return new ImportExpiry();
    }
  }
}
