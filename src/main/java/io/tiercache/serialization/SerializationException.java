package io.tiercache.serialization;

/**
 * An object could not be serialized or bytes could not be deserialized. Our own type, not the JCache API's:
 * the tiers that serialize stay independent of JCache, and the cache wraps this in a
 * {@code javax.cache.CacheException} naming the cache.
 */
public class SerializationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the class or store involved
   * @param cause the underlying failure, or null
   */
  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
