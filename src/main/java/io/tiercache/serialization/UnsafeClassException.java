package io.tiercache.serialization;

/**
 * A class was refused by the serializer's allowlist: either data on disk names a class that is neither
 * registered nor allowlisted, or a value of such a class was about to be written to a disk tier.
 */
public final class UnsafeClassException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final String className;

  /**
   * @param className the refused class
   * @param message the full explanation
   */
  public UnsafeClassException(String className, String message) {
    super(message, null);
    this.className = className;
  }

  /** Returns the name of the refused class. */
  public String className() {
    return className;
  }
}
