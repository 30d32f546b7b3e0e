package io.tiercache.encryption;

import java.util.Map;

/**
 * A cache's {@code encryption} settings.
 *
 * @param enabled whether records on disk are encrypted
 * @param primary the id of the key new records are written with
 * @param keys every key id the keyring holds, with where its 32 bytes come from: {@code env:NAME} (an
 *     environment variable holding them in base64), {@code file:/path} or a plain path (a file readable by its
 *     owner only, holding them in base64), {@code pkcs12:/path} (a PKCS#12 key store; the key id is the alias)
 * @param keystorePassword where the password of PKCS#12 key stores comes from ({@code env:NAME} or a file)
 * @param hashKeys store a keyed hash of each key instead of the key, keeping the key inside the encrypted record
 * @param dataKeys the directory of the caches' data keys; empty for {@code <the cache directory>.keys}
 */
public record EncryptionSettings(boolean enabled, String primary, Map<String, String> keys,
    String keystorePassword, boolean hashKeys, String dataKeys) {

  /** No encryption. */
  public static final EncryptionSettings DISABLED = new EncryptionSettings(false, "", Map.of(), "", false, "");

  /** Copies the key map. */
  public EncryptionSettings {
    keys = Map.copyOf(keys);
  }
}
