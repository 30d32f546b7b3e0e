package io.tiercache.encryption;

import io.tiercache.tier.serialized.RecordProtection;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
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
  /** At most one re-read of a shared data key per second, however many unknown records arrive. */
  private static final long REREAD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  private final byte[] aadPrefix;
  private final Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
  private final Keyring keyring;
  private final Supplier<DataKeys> reread;  // null unless other processes may add record key numbers
  private final AtomicLong rereadAt = new AtomicLong(System.nanoTime() - REREAD_NANOS);
  private final int primary;
  private final SecretKey primaryKey;
  private final byte[] indexKey;     // null unless keys are hashed
  private final boolean acceptPlain;
  private final byte[] marker;
  private final byte[] secretOf;     // the data key's secret: a re-read data key must be the same one

  /**
   * @param reread reads the data key again when a record names a key number this cipher does not know (a
   *     shared store, where another process may have added its primary since), or null
   */
  RecordCipher(String cacheName, DataKeys dataKeys, Keyring keyring, boolean hashKeys, boolean acceptPlain,
      byte[] marker, Supplier<DataKeys> reread) {
    this.aadPrefix = Crypto.utf8("tiercache-record\0" + cacheName + "\0");
    this.keyring = keyring;
    this.reread = reread;
    learn(dataKeys);
    this.primary = dataKeys.primaryNumber(keyring);
    this.primaryKey = keys.get(primary);
    this.indexKey = hashKeys ? dataKeys.indexKey() : null;
    this.acceptPlain = acceptPlain;
    this.marker = marker;
    this.secretOf = dataKeys.secret();
  }

  /** Adds the record keys of every number whose master key the keyring holds (others stay unreadable here). */
  private void learn(DataKeys dataKeys) {
    dataKeys.numbers.forEach((number, kekId) -> {
      SecretKey kek = keyring.key(kekId);
      if (kek != null) {
        keys.putIfAbsent(number, DataKeys.recordKey(kek, dataKeys.secret()));
      }
    });
  }

  /** The record key of a number, re-reading a shared data key (at most once a second) for one unknown. */
  private SecretKey keyOf(int number) {
    SecretKey key = keys.get(number);
    if (key != null || reread == null) {
      return key;
    }
    long last = rereadAt.get();
    if (System.nanoTime() - last >= REREAD_NANOS && rereadAt.compareAndSet(last, System.nanoTime())) {
      try {
        DataKeys fresh = reread.get();
        if (fresh != null && Arrays.equals(fresh.secret(), secretOf)) {
          learn(fresh);
        }
      } catch (RuntimeException unreadable) {
        // the shared data key cannot be read now: the record reads as absent, the next one tries again
      }
    }
    return keys.get(number);
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
    SecretKey key = keyOf(stored[1] & 0xFF);
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
  public boolean hidesKeys() {
    return indexKey != null;
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
