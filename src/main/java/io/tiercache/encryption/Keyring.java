package io.tiercache.encryption;

import io.tiercache.tier.TierUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys of a cache: one primary for writing, the others for reading what they wrote. Loaded from
 * environment variables, owner-only files or PKCS#12 key stores; key material never appears in a message,
 * a log line or the store.
 */
final class Keyring {

  /** Where environment variables are read; tests substitute their own. */
  static volatile Function<String, String> environment = System::getenv;

  private static final int KEY_BYTES = 32;

  private final Map<String, SecretKey> keys;
  private final String primary;

  private Keyring(Map<String, SecretKey> keys, String primary) {
    this.keys = keys;
    this.primary = primary;
  }

  /**
   * Loads every key the settings name.
   *
   * @param cacheName for messages
   * @throws TierUnavailableException naming the key id and what is wrong with its source
   */
  static Keyring load(EncryptionSettings settings, String cacheName) {
    if (settings.primary().isEmpty()) {
      throw failure(cacheName, "encryption.primary names no key; set it to one of " + settings.keys().keySet());
    }
    if (!settings.keys().containsKey(settings.primary())) {
      throw failure(cacheName, "encryption.primary is '" + settings.primary() + "', which encryption.keys does"
          + " not list (it has: " + new TreeSet<>(settings.keys().keySet()) + ")");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (Map.Entry<String, String> key : settings.keys().entrySet()) {
      keys.put(key.getKey(), load(key.getKey(), key.getValue(), settings, cacheName));
    }
    return new Keyring(keys, settings.primary());
  }

  private static SecretKey load(String id, String source, EncryptionSettings settings, String cacheName) {
    String where = "key '" + id + "' (" + source + ")";
    if (source.startsWith("pkcs12:")) {
      return fromKeyStore(id, Path.of(source.substring("pkcs12:".length())), settings, cacheName, where);
    }
    byte[] material = decode(text(source, cacheName, where), cacheName, where);
    return new SecretKeySpec(material, "AES");
  }

  /** Reads an {@code env:NAME} or file source as text. */
  private static String text(String source, String cacheName, String where) {
    if (source.startsWith("env:")) {
      String name = source.substring("env:".length());
      String value = environment.apply(name);
      if (value == null || value.isBlank()) {
        throw failure(cacheName, where + ": the environment variable " + name + " is not set");
      }
      return value.trim();
    }
    Path file = Path.of(source.startsWith("file:") ? source.substring("file:".length()) : source);
    ownerOnly(file, cacheName, where);
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw failure(cacheName, where + ": cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] decode(String base64, String cacheName, String where) {
    byte[] material;
    try {
      material = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw failure(cacheName, where + " is not base64 (generate one with: openssl rand -base64 32)");
    }
    if (material.length != KEY_BYTES) {
      throw failure(cacheName, where + " holds " + material.length + " bytes; AES-256 needs " + KEY_BYTES
          + " (openssl rand -base64 32)");
    }
    return material;
  }

  private static SecretKey fromKeyStore(String id, Path file, EncryptionSettings settings, String cacheName,
      String where) {
    ownerOnly(file, cacheName, where);
    if (settings.keystorePassword().isEmpty()) {
      throw failure(cacheName, where + ": encryption.keystore-password says nowhere where its password comes from");
    }
    char[] password = text(settings.keystorePassword(), cacheName, "encryption.keystore-password").toCharArray();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      java.security.Key key = store.getKey(id, password);
      if (!(key instanceof SecretKey) || key.getEncoded() == null || key.getEncoded().length != KEY_BYTES) {
        throw failure(cacheName, where + ": the key store has no 256-bit secret key under the alias '" + id + "'");
      }
      return new SecretKeySpec(key.getEncoded(), "AES");
    } catch (TierUnavailableException e) {
      throw e;
    } catch (IOException | java.security.GeneralSecurityException e) {
      // the exception's message may say the password was wrong; it never holds key material
      throw failure(cacheName, where + ": the key store cannot be read (" + e.getMessage() + ")");
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /** A key file others can read is a key others may have: refused, not narrowed. */
  private static void ownerOnly(Path file, String cacheName, String where) {
    if (!Files.isRegularFile(file)) {
      throw failure(cacheName, where + ": no such file");
    }
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      for (PosixFilePermission permission : permissions) {
        if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS")) {
          throw failure(cacheName, where + " is " + PosixFilePermissions.toString(permissions)
              + ": others may read it; make it readable by its owner only (chmod 600)");
        }
      }
    } catch (IOException e) {
      throw failure(cacheName, where + ": its permissions cannot be read: " + e.getMessage());
    }
  }

  static TierUnavailableException failure(String cacheName, String problem) {
    return new TierUnavailableException("Cache '" + cacheName + "' cannot start its encryption: " + problem, null);
  }

  /** Returns the key with this id, or null. */
  SecretKey key(String id) {
    return keys.get(id);
  }

  String primary() {
    return primary;
  }

  /** Returns the ids of the keys, for messages. */
  Set<String> ids() {
    return new TreeSet<>(keys.keySet());
  }
}
