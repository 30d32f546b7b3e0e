package io.tiercache.serialization;

import javax.cache.CacheException;

/** An object could not be serialized or bytes could not be deserialized. */
public class SerializationException extends CacheException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the class or store involved
   * @param cause the underlying failure, or null
   */
  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
