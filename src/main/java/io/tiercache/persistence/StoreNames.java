package io.tiercache.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns cache and manager names into safe single file names: every character outside {@code [A-Za-z0-9_-]}
 * (dots and slashes included) becomes {@code %XX} of its UTF-8 bytes, so no name can be {@code .},
 * {@code ..} or contain a separator, and distinct names stay distinct. Names longer than 160 characters once
 * encoded are shortened and suffixed with a hash of the full name.
 */
public final class StoreNames {

  private static final int MAX_LENGTH = 160;

  private StoreNames() { }

  /** Returns the file-name form of {@code name}. */
  public static String encode(String name) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        encoded.append(c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    if (encoded.length() == 0) {
      return "%00";
    }
    if (encoded.length() > MAX_LENGTH) {
      return encoded.substring(0, MAX_LENGTH - 17) + "~" + hash(name);
    }
    return encoded.toString();
  }

  /**
   * Returns the name a file name was encoded from, or the file name itself when it cannot be decoded (a long
   * name shortened with a hash).
   */
  public static String decode(String encoded) {
    if (encoded.contains("~") || encoded.equals("%00")) {
      return encoded;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String hash(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
