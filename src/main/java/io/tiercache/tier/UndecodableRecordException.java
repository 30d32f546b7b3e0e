package io.tiercache.tier;

/**
 * A stored record could not be turned back into its value (its class is gone, changed beyond what the
 * serializer can bridge, or no longer allowed). The tier has already dropped the record and counted it when
 * it throws this, so the key reads as absent from then on: the cache answers the operation again, once, as a
 * miss, rather than let one bad record block its key.
 */
public final class UndecodableRecordException extends TierException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be decoded, naming the store
   * @param cause the serializer's failure
   */
  public UndecodableRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
