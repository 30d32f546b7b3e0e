package io.tiercache.encryption;

import io.tiercache.tier.serialized.RecordProtection;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Seals the records of one cache with AES-256-GCM:
 *
 * <pre>
 *   byte 0       0x45, which no plain record format version has
 *   byte 1       the number of the record key (the data key file maps it to a master key id)
 *   bytes 2-13   a random nonce, fresh for every record
 *   bytes 14-    the encrypted record, then its 16-byte tag
 * </pre>
 *
 * The associated data is the cache's name and the key the record is stored under, so a record copied under
 * another key, or into another cache, fails authentication (each cache's record keys differ too). With hashed
 * keys the record is stored under HMAC-SHA256 of the key's bytes, and the key's bytes travel inside the
 * encrypted record, so iteration and events still give real keys.
 */
final class RecordCipher implements RecordProtection {

  static final byte SEALED = 0x45;
  private static final int HEADER = 2;

  private final byte[] aadPrefix;
  private final Map<Integer, SecretKey> keys = new HashMap<>();
  private final int primary;
  private final SecretKey primaryKey;
  private final byte[] indexKey;     // null unless keys are hashed
  private final boolean acceptPlain;
  private final byte[] marker;

  RecordCipher(String cacheName, DataKeys dataKeys, Keyring keyring, boolean hashKeys, boolean acceptPlain,
      byte[] marker) {
    this.aadPrefix = Crypto.utf8("tiercache-record\0" + cacheName + "\0");
    dataKeys.numbers.forEach((number, kekId) -> keys.put(number,
        DataKeys.recordKey(keyring.key(kekId), dataKeys.secret())));
    this.primary = dataKeys.primaryNumber(keyring);
    this.primaryKey = keys.get(primary);
    this.indexKey = hashKeys ? dataKeys.indexKey() : null;
    this.acceptPlain = acceptPlain;
    this.marker = marker;
  }

  private byte[][] aad(byte[] storedKey) {
    return new byte[][] {aadPrefix, storedKey}; // fed to the cipher in turn: nothing is copied
  }

  @Override
  public byte[] storedKey(byte[] keyBytes) {
    return indexKey == null ? keyBytes : Crypto.hmac(indexKey, keyBytes);
  }

  @Override
  public byte[] seal(byte[] storedKey, byte[] keyBytes, byte[] record) {
    byte[] plain = record;
    if (indexKey != null) {
      plain = new byte[4 + keyBytes.length + record.length];
      java.nio.ByteBuffer.wrap(plain).putInt(keyBytes.length).put(keyBytes).put(record);
    }
    byte[] sealed = new byte[HEADER + Crypto.NONCE_BYTES + plain.length + Crypto.TAG_BYTES];
    sealed[0] = SEALED;
    sealed[1] = (byte) primary;
    Crypto.seal(primaryKey, aad(storedKey), plain, 0, plain.length, sealed, HEADER);
    return sealed;
  }

  @Override
  public Opened open(byte[] storedKey, byte[] stored) {
    if (stored.length == 0 || stored[0] != SEALED) {
      // a plain record from before encryption was turned on: read until rewritten, only in such a store
      return acceptPlain && indexKey == null ? new Opened(null, stored) : null;
    }
    if (stored.length < HEADER + Crypto.NONCE_BYTES + Crypto.TAG_BYTES) {
      return null;
    }
    SecretKey key = keys.get(stored[1] & 0xFF);
    if (key == null) {
      return null;
    }
    byte[] plain = Crypto.open(key, aad(storedKey), stored, HEADER);
    if (plain == null) {
      return null;
    }
    if (indexKey == null) {
      return new Opened(null, plain);
    }
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(plain);
    int keyLength = buffer.getInt();
    if (keyLength < 0 || keyLength > plain.length - 4) {
      return null;
    }
    byte[] keyBytes = new byte[keyLength];
    buffer.get(keyBytes);
    byte[] record = new byte[buffer.remaining()];
    buffer.get(record);
    return new Opened(keyBytes, record);
  }

  @Override
  public int overhead(byte[] keyBytes) {
    return HEADER + Crypto.NONCE_BYTES + Crypto.TAG_BYTES + (indexKey == null ? 0 : 4 + keyBytes.length);
  }

  @Override
  public byte[] marker() {
    return marker.clone();
  }

  @Override
  public boolean current(byte[] stored) {
    return numberOf(stored) == primary;
  }

  /** Returns the record key number a sealed record names, or -1 for a plain record. */
  static int numberOf(byte[] stored) {
    return stored.length > 1 && stored[0] == SEALED ? stored[1] & 0xFF : -1;
  }
}
