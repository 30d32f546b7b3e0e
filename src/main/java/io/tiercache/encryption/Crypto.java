package io.tiercache.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The JDK primitives tiercache uses, with their objects kept per thread: AES-256-GCM and HMAC-SHA256. */
final class Crypto {

  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;

  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> instance("AES/GCM/NoPadding"));
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(Crypto::hmac);
  // DRBG per thread: the default NativePRNG serializes every caller on one lock
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Crypto::random);

  private Crypto() { }

  private static Cipher instance(String transformation) {
    try {
      return Cipher.getInstance(transformation);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM lacks " + transformation, e);
    }
  }

  private static Mac hmac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM lacks HmacSHA256", e);
    }
  }

  private static SecureRandom random() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (GeneralSecurityException e) {
      return new SecureRandom();
    }
  }

  /** Fills {@code bytes} with random bytes. */
  static void random(byte[] bytes, int offset, int length) {
    if (offset == 0 && length == bytes.length) {
      RANDOM.get().nextBytes(bytes);
    } else {
      byte[] fresh = new byte[length];
      RANDOM.get().nextBytes(fresh);
      System.arraycopy(fresh, 0, bytes, offset, length);
    }
  }

  /** HMAC-SHA256 of {@code parts} under {@code key}. */
  static byte[] hmac(byte[] key, byte[]... parts) {
    Mac mac = MACS.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Encrypts {@code plain[offset, offset + length)} into {@code out} at {@code outOffset}: the nonce, then the
   * ciphertext and its tag. {@code out} must have room for {@link #NONCE_BYTES} + length + {@link #TAG_BYTES}.
   */
  static void seal(SecretKey key, byte[] aad, byte[] plain, int offset, int length, byte[] out, int outOffset) {
    seal(key, new byte[][] {aad}, plain, offset, length, out, outOffset);
  }

  /** As {@link #seal(SecretKey, byte[], byte[], int, int, byte[], int)}, the associated data given in parts. */
  static void seal(SecretKey key, byte[][] aad, byte[] plain, int offset, int length, byte[] out, int outOffset) {
    random(out, outOffset, NONCE_BYTES);
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, out, outOffset, NONCE_BYTES));
      for (byte[] part : aad) {
        cipher.updateAAD(part);
      }
      cipher.doFinal(plain, offset, length, out, outOffset + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    }
  }

  /** Decrypts what {@link #seal} wrote at {@code offset}; returns null when it fails authentication. */
  static byte[] open(SecretKey key, byte[] aad, byte[] sealed, int offset) {
    return open(key, new byte[][] {aad}, sealed, offset);
  }

  /** As {@link #open(SecretKey, byte[], byte[], int)}, the associated data given in parts. */
  static byte[] open(SecretKey key, byte[][] aad, byte[] sealed, int offset) {
    int length = sealed.length - offset - NONCE_BYTES;
    if (length < TAG_BYTES) {
      return null;
    }
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, offset, NONCE_BYTES));
      for (byte[] part : aad) {
        cipher.updateAAD(part);
      }
      return cipher.doFinal(sealed, offset + NONCE_BYTES, length);
    } catch (AEADBadTagException notAuthentic) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    }
  }
}
