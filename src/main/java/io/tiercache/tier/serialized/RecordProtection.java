package io.tiercache.tier.serialized;

/**
 * How a store protects its records at rest (encryption, and optionally hidden keys). Implemented outside the
 * tier (by {@code io.tiercache.encryption}); the tier applies it through {@link ProtectedStore}, below every
 * other layer, so that redo logs, write-ahead logs and table files only ever see what {@link #seal} returns.
 */
public interface RecordProtection {

  /** A stored record opened: the key's bytes and the plain record. */
  record Opened(byte[] keyBytes, byte[] record) { }

  /** Returns the key a record of {@code keyBytes} is stored under: the bytes themselves, or a keyed hash of them. */
  byte[] storedKey(byte[] keyBytes);

  /** Returns what to store under {@code storedKey} for {@code record}, the record of {@code keyBytes}. */
  byte[] seal(byte[] storedKey, byte[] keyBytes, byte[] record);

  /**
   * Returns the key bytes (null when they are the stored key itself) and plain record of what is stored under
   * {@code storedKey}, or null when it fails authentication: written with another key, under another key or
   * for another cache, or changed since.
   */
  Opened open(byte[] storedKey, byte[] stored);

  /** Returns how many bytes {@link #seal} adds to a record of {@code keyBytes}. */
  int overhead(byte[] keyBytes);

  /** Returns the value the store keeps under {@link ProtectedStore#MARKER_KEY}, which ties it to its keys. */
  byte[] marker();

  /** Returns true when {@code stored} is sealed the way {@link #seal} seals now (with the current key). */
  boolean current(byte[] stored);

  /** Returns true when records are stored under a keyed hash of their key ({@link #storedKey}), not the key. */
  default boolean hidesKeys() {
    return false;
  }
}
