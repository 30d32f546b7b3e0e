package io.tiercache.tier;

/**
 * A tier's engine cannot start here: its native library does not load, its directory cannot be written,
 * its store is locked by another process. The cache falls back to the next configured tier, or fails with
 * this cause when configured strict.
 */
public final class TierUnavailableException extends TierException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what cannot start and why, naming the tier and the path or library
   * @param cause the underlying failure
   */
  public TierUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
