package io.tiercache.tier;

/**
 * A tier's engine failed: an I/O error, a closed store, a record that cannot be written. Tiers throw their
 * own exceptions and never the JCache API's; the cache turns them into a {@code javax.cache.CacheException}
 * naming the cache at its boundary.
 */
public class TierException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the tier or store
   * @param cause the underlying failure, or null
   */
  public TierException(String message, Throwable cause) {
    super(message, cause);
  }
}
