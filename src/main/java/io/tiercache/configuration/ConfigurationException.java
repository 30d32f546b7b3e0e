package io.tiercache.configuration;

/**
 * A configuration value is invalid. The message names where it came from (file and line, or the
 * programmatic configuration of a cache), the key, the offending value and what is allowed.
 */
public final class ConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** @param message the full explanation */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * @param message the full explanation
   * @param cause the parser's own error
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
