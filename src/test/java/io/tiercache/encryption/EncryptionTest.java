package io.tiercache.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encrypted disk tiers, tested on the files they leave: what is in them, what moving bytes does, which keys open them. */
class EncryptionTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path work;

  @AfterEach
  void restoreEnvironment() {
    Keyring.environment = System::getenv;
  }

  private Path keyFile(String name) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = work.resolve("keys-" + name);
    Files.writeString(file, Base64.getEncoder().encodeToString(key));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:encryption-"
        + MANAGERS.incrementAndGet()), EncryptionTest.class.getClassLoader(), properties);
  }

  private static TierCacheConfiguration.Builder<String, String> encrypted(String tier, String primary,
      Map<String, Path> keys) {
    Map<String, String> sources = new HashMap<>();
    keys.forEach((id, file) -> sources.put(id, "file:" + file));
    return TierCacheConfiguration.builder(String.class, String.class).tiers(tier).encryption(primary, sources);
  }

  /** Every file under the directories, searched for {@code needle}. */
  private static boolean anyFileContains(byte[] needle, Path... roots) throws Exception {
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          byte[] content = Files.readAllBytes(file);
          if (indexOf(content, needle) >= 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    return io.tiercache.testing.Bytes.indexOf(haystack, needle);
  }

  /** The adaptive strategy's moves from MapDB down to RocksDB carry sealed records, hashed keys included. */
  @Test
  void coldEntriesMovedFromMapDbToRocksDbStayEncryptedAndReadable() throws Exception {
    Path keys = keyFile("k1");
    String marker = "COLD-" + UUID.randomUUID();
    Path directory = work.resolve("cooling");
    TierCacheConfiguration<String, String> configuration = encrypted("heap", "k1", Map.of("k1", keys))
        .tiers("heap", "mapdb", "rocksdb").strategy("adaptive").strategyOption("heap-budget", "8 KiB")
        .strategyOption("warm-budget", "4 KiB").hashKeys(true).build();
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("cooling", configuration);
      for (int i = 0; i < 200; i++) {
        cache.put("k" + i, marker + " " + i);
      }
      io.tiercache.routing.CompositeTier<?> composite = cache.unwrap(io.tiercache.routing.CompositeTier.class);
      assertThat(composite.cooled()).isPositive();
    }
    assertThat(anyFileContains(marker.getBytes(StandardCharsets.UTF_8), directory,
        directory.resolveSibling("cooling.keys"))).as("the marker value in some file").isFalse();
    try (CacheManager reopened = manager(directory)) {
      Cache<String, String> cache = reopened.createCache("cooling", configuration);
      for (int i = 0; i < 200; i++) {
        assertThat(cache.get("k" + i)).isEqualTo(marker + " " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mapdb", "rocksdb"})
  void noValueAndNoHashedKeyIsReadableInTheFilesWhileAPlainCacheIs(String tier) throws Exception {
    Path keys = keyFile("k1");
    String marker = "MARKER-" + UUID.randomUUID();
    String keyMarker = "KEYMARK-" + UUID.randomUUID();
    Path directory = work.resolve("store");
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> sealed = manager.createCache("sealed", encrypted(tier, "k1", Map.of("k1", keys))
          .hashKeys(true).build());
      Cache<String, String> plain = manager.createCache("plain", TierCacheConfiguration
          .builder(String.class, String.class).tiers(tier).build());
      sealed.put(keyMarker, marker + " sealed");
      plain.put("plain-key", marker.replace("MARKER", "PLAINMK") + " plain");
      for (int i = 0; i < 300; i++) { // enough to reach table files and logs alike
        sealed.put("k" + i, marker + " " + i);
      }
      assertThat(sealed.get(keyMarker)).isEqualTo(marker + " sealed");
    }
    Path dataKeys = directory.resolveSibling("store.keys");
    assertThat(anyFileContains(marker.getBytes(StandardCharsets.UTF_8), directory, dataKeys))
        .as("the marker value in some file").isFalse();
    assertThat(anyFileContains(keyMarker.getBytes(StandardCharsets.UTF_8), directory, dataKeys))
        .as("a hashed key in some file").isFalse();
    assertThat(anyFileContains(marker.replace("MARKER", "PLAINMK").getBytes(StandardCharsets.UTF_8), directory))
        .as("the search finds what a plain cache wrote").isTrue();

    try (CacheManager reopened = manager(directory)) {
      Cache<String, String> sealed = reopened.createCache("sealed", encrypted(tier, "k1", Map.of("k1", keys))
          .hashKeys(true).build());
      assertThat(sealed.get(keyMarker)).isEqualTo(marker + " sealed");
      List<String> iterated = new ArrayList<>();
      sealed.forEach(entry -> iterated.add(entry.getKey()));
      assertThat(iterated).hasSize(301).contains(keyMarker, "k0", "k299");
    }
  }

  @Test
  void aRecordMovedUnderAnotherKeyOrIntoAnotherCacheIsAMissNeverAValue() throws Exception {
    Path keys = keyFile("k1");
    Path directory = work.resolve("swap");
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> a = manager.createCache("a", encrypted("rocksdb", "k1", Map.of("k1", keys)).build());
      Cache<String, String> b = manager.createCache("b", encrypted("rocksdb", "k1", Map.of("k1", keys)).build());
      a.put("alice", "alice's secret");
      a.put("bob", "bob's secret");
      b.put("alice", "b's own");
    }
    // raw bytes moved in the files: alice's record under bob, cache a's record into cache b
    RawRocksDb.copyRecord(directory.resolve("rocksdb"), "a", "alice", "a", "bob");
    RawRocksDb.copyRecord(directory.resolve("rocksdb"), "a", "alice", "b", "alice");
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> a = manager.createCache("a", encrypted("rocksdb", "k1", Map.of("k1", keys)).build());
      Cache<String, String> b = manager.createCache("b", encrypted("rocksdb", "k1", Map.of("k1", keys)).build());
      assertThat(a.get("bob")).as("alice's record under bob's key").isNull();
      assertThat(a.get("alice")).isEqualTo("alice's secret");
      assertThat(b.get("alice")).as("cache a's record in cache b").isNull();
      assertThat(a.unwrap(CacheHealth.class).dropped()).isEqualTo(1);
      assertThat(b.unwrap(CacheHealth.class).dropped()).isEqualTo(1);
    }
  }

  @Test
  void rotationKeepsOldRecordsReadableAndAMissingOrWrongKeyIsAClearError() throws Exception {
    Path k1 = keyFile("k1");
    Path k2 = keyFile("k2");
    Path directory = work.resolve("rotation");
    try (CacheManager manager = manager(directory)) {
      manager.createCache("c", encrypted("rocksdb", "k1", Map.of("k1", k1)).build()).put("old", "written with k1");
    }
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("c", encrypted("rocksdb", "k2", Map.of("k1", k1, "k2", k2))
          .build());
      assertThat(cache.get("old")).isEqualTo("written with k1");
      cache.put("new", "written with k2");
    }
    try (CacheManager manager = manager(directory)) {
      assertThatThrownBy(() -> manager.createCache("c", encrypted("rocksdb", "k2", Map.of("k2", k2)).build()))
          .hasMessageContaining("master key 'k1'").hasMessageContaining("which the keyring lacks");
    }
    Path wrong = keyFile("wrong");
    try (CacheManager manager = manager(directory)) {
      assertThatThrownBy(() -> manager.createCache("c", encrypted("rocksdb", "k2", Map.of("k1", wrong, "k2", k2))
          .build())).hasMessageContaining("master key 'k1' in the keyring is not the key");
    }
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("c", encrypted("rocksdb", "k2", Map.of("k1", k1, "k2", k2))
          .build());
      assertThat(cache.get("old")).isEqualTo("written with k1");
      assertThat(cache.get("new")).isEqualTo("written with k2");
    }
  }

  @Test
  void rekeyLeavesThePrimaryTheOnlyKeyNeededAndVerifyCountsSealedRecords() throws Exception {
    Path k1 = keyFile("k1");
    Path k2 = keyFile("k2");
    Path directory = work.resolve("rekey");
    String large = "L".repeat(300 * 1024); // beyond the size strategy's MapDB bound: RocksDB
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("c", encrypted("mapdb", "k1", Map.of("k1", k1))
          .tiers("mapdb", "rocksdb").build());
      cache.put("small", "on mapdb");
      cache.put("large", large);
    }
    Path conf = work.resolve("rekey.conf");
    Files.writeString(conf, "tiercache.caches.c { tiers = [mapdb, rocksdb], encryption { enabled = true,"
        + " primary = k2, keys { k1 = \"file:" + k1 + "\", k2 = \"file:" + k2 + "\" } } }\n");
    StringWriterRun verify = StringWriterRun.cli("verify", directory.toString());
    assertThat(verify.code()).as("%s", verify).isZero();
    assertThat(StringWriterRun.cli("inspect", directory.toString()).out()).contains("Encrypted:     2 records");

    StringWriterRun rekey = StringWriterRun.cli("rekey", directory.toString(), "c", "--config", conf.toString());
    assertThat(rekey.code()).as("%s", rekey).isZero();
    assertThat(rekey.out()).contains("2 records sealed again with master key 'k2'");

    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("c", encrypted("mapdb", "k2", Map.of("k2", k2))
          .tiers("mapdb", "rocksdb").build());
      assertThat(cache.get("small")).isEqualTo("on mapdb");
      assertThat(cache.get("large")).isEqualTo(large);
    }
  }

  @Test
  void aDestroyedCachesCopiedFilesCannotBeReadByAnyone() throws Exception {
    Path keys = keyFile("k1");
    Path directory = work.resolve("shred");
    Path dataKeys = work.resolve("data-keys");
    TierCacheConfiguration<String, String> configuration = encrypted("rocksdb", "k1", Map.of("k1", keys))
        .tierSetting("encryption.data-keys", dataKeys.toString()).build();
    try (CacheManager manager = manager(directory)) {
      manager.createCache("secrets", configuration).put("s", "top secret");
    }
    Path before = work.resolve("copy-before");
    copy(directory, before);
    try (CacheManager copy = manager(before)) {
      assertThat(copy.createCache("secrets", configuration).get("s")).as("the copy reads while the key lives")
          .isEqualTo("top secret");
    }
    Path stolen = work.resolve("stolen");
    copy(directory, stolen);
    try (CacheManager manager = manager(directory)) {
      manager.destroyCache("secrets");
    }
    assertThat(Files.list(dataKeys).toList()).isEmpty();
    try (CacheManager copy = manager(stolen)) {
      assertThatThrownBy(() -> copy.createCache("secrets", configuration))
          .hasMessageContaining("encrypted with a data key that is gone");
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().equals("tiercache.lock")) {
          Files.copy(source, target);
        }
      }
    }
  }

  @Test
  void anEncryptedStoreOpenedWithoutEncryptionIsRefusedNotDropped() throws Exception {
    Path keys = keyFile("k1");
    Path directory = work.resolve("refuse");
    try (CacheManager manager = manager(directory)) {
      manager.createCache("c", encrypted("mapdb", "k1", Map.of("k1", keys)).build()).put("k", "v");
    }
    try (CacheManager manager = manager(directory)) {
      assertThatThrownBy(() -> manager.createCache("c", TierCacheConfiguration.builder(String.class, String.class)
          .tiers("mapdb").build())).hasMessageContaining("holds encrypted records");
    }
    try (CacheManager manager = manager(directory)) {
      assertThat(manager.createCache("c", encrypted("mapdb", "k1", Map.of("k1", keys)).build()).get("k"))
          .isEqualTo("v");
    }
  }

  @Test
  void keySourcesAreCheckedAndNeverLeakTheirBytes() throws Exception {
    Path loose = keyFile("loose");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Path directory = work.resolve("sources");
    try (CacheManager manager = manager(directory)) {
      assertThatThrownBy(() -> manager.createCache("loose", encrypted("rocksdb", "k1", Map.of("k1", loose)).build()))
          .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600")
          .hasMessageNotContaining(Files.readString(loose));
      assertThatThrownBy(() -> manager.createCache("env", TierCacheConfiguration.builder(String.class, String.class)
          .tiers("rocksdb").encryption("k1", Map.of("k1", "env:TIERCACHE_TEST_ABSENT_KEY")).build()))
          .hasMessageContaining("TIERCACHE_TEST_ABSENT_KEY is not set");
      Keyring.environment = name -> name.equals("TIERCACHE_TEST_KEY") ? Base64.getEncoder().encodeToString(
          new byte[32]) : null;
      Cache<String, String> fromEnvironment = manager.createCache("env-ok", TierCacheConfiguration
          .builder(String.class, String.class).tiers("rocksdb")
          .encryption("e1", Map.of("e1", "env:TIERCACHE_TEST_KEY")).build());
      fromEnvironment.put("k", "v");
      assertThat(fromEnvironment.get("k")).isEqualTo("v");
    }
  }

  @Test
  void aPkcs12KeyStoreServesItsKeysByAlias() throws Exception {
    Path store = work.resolve("keys.p12");
    char[] password = "store-password".toCharArray();
    java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
    keyStore.load(null, password);
    javax.crypto.KeyGenerator generator = javax.crypto.KeyGenerator.getInstance("AES");
    generator.init(256);
    keyStore.setEntry("p1", new java.security.KeyStore.SecretKeyEntry(generator.generateKey()),
        new java.security.KeyStore.PasswordProtection(password));
    try (var out = Files.newOutputStream(store)) {
      keyStore.store(out, password);
    }
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
    Path passwordFile = work.resolve("p12-password");
    Files.writeString(passwordFile, "store-password");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    try (CacheManager manager = manager(work.resolve("p12"))) {
      Cache<String, String> cache = manager.createCache("c", TierCacheConfiguration.builder(String.class,
          String.class).tiers("rocksdb").encryption("p1", Map.of("p1", "pkcs12:" + store))
          .tierSetting("encryption.keystore-password", "file:" + passwordFile).build());
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
    }
  }
}
