package io.tiercache.tier.redis;

import io.tiercache.encryption.CacheEncryption;
import io.tiercache.encryption.EncryptionSettings;
import io.tiercache.tier.serialized.SharedProtection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The Redis tier with sealed records and hidden keys, behind its near cache, against the shared contract:
 * encryption must change nothing visible, iteration and events included (their keys come out of the records).
 */
class RedisEncryptedTierContractTest extends RedisNearCacheTierContractTest {

  private static final Path KEY = writeKey();

  private static Path writeKey() {
    try {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path file = Files.createTempFile("tiercache-contract-key", ".b64",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
      file.toFile().deleteOnExit();
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected SharedProtection protection() {
    EncryptionSettings settings = new EncryptionSettings(true, "k1", Map.of("k1", "file:" + KEY), "", true, "");
    return CacheEncryption.sharedOf(settings, "contract", "contract-namespace");
  }
}
