package io.tiercache.tier;

/**
 * A tier's engine cannot start here: its native library does not load, its directory cannot be written,
 * its store is locked by another process or damaged. Only a failure of the machine rather than of the data or
 * its configuration (a native library that does not load) is {@link #degradable()}: the cache then starts
 * without the tier, visibly, unless it is strict. Every other cause fails the cache's creation, since a cache
 * configured to persist must never quietly keep its writes in memory only.
 */
public final class TierUnavailableException extends TierException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what cannot start and why, naming the tier and the path or library
   * @param cause the underlying failure
   */
  public TierUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private TierUnavailableException(String message, Throwable cause, boolean degradable) {
    super(message, cause);
    this.degradable = degradable;
  }

  private final boolean degradable;

  /** A failure after which a cache may start without the tier (unless strict): the machine lacks something. */
  public static TierUnavailableException degradable(String message, Throwable cause) {
    return new TierUnavailableException(message, cause, true);
  }

  /** Returns true when a non-strict cache may start without the tier, false when it must fail. */
  public boolean degradable() {
    return degradable;
  }
}
