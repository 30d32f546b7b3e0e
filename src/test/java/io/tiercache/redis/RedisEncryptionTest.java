package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import io.tiercache.tier.serialized.RecordFormat;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted caches in Redis, tested on what the server holds: its keys and values, and its snapshot on disk.
 * Two cache managers on one namespace stand for two processes (their own connections, tiers and keyrings); the
 * data key they share lives in Redis.
 */
class RedisEncryptionTest {

  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> connection;

  @TempDir
  Path work;

  @BeforeAll
  static void connect() {
    client = RedisClient.create(RedisServer.shared().uri());
    connection = client.connect(ByteArrayCodec.INSTANCE);
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  private static RedisCommands<byte[], byte[]> redis() {
    return connection.sync();
  }

  private Path keyFile(String name) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = work.resolve("key-" + name);
    Files.writeString(file, Base64.getEncoder().encodeToString(key));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static <V> TierCacheConfiguration.Builder<String, V> cache(Class<V> type, String namespace) {
    return TierCacheConfiguration.builder(String.class, type).redis(RedisServer.shared().uri())
        .tiers("heap", "redis").tierSetting("redis.namespace", namespace);
  }

  private static <V> TierCacheConfiguration.Builder<String, V> encrypted(Class<V> type, String namespace,
      String primary, Map<String, Path> keys) {
    Map<String, String> sources = new HashMap<>();
    keys.forEach((id, file) -> sources.put(id, "file:" + file));
    return cache(type, namespace).encryption(primary, sources);
  }

  private static String namespace() {
    return "encrypted-" + UUID.randomUUID();
  }

  /** The names of the Redis keys matching {@code pattern}, as ISO-8859-1 text. */
  private static List<String> keys(String pattern) {
    List<String> names = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> batch = redis().scan(cursor, ScanArgs.Builder.matches(pattern).limit(500));
      batch.getKeys().forEach(name -> names.add(new String(name, StandardCharsets.ISO_8859_1)));
      cursor = batch;
    } while (!cursor.isFinished());
    return names;
  }

  /** Every entry key of the cache's namespace, with its value. */
  private static Map<String, byte[]> entries(String namespace) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (String name : keys("tc:" + namespace + ":e{*")) {
      byte[] value = redis().get(name.getBytes(StandardCharsets.ISO_8859_1));
      if (value != null) {
        found.put(name, value);
      }
    }
    return found;
  }

  /** The key a record is stored under: what follows the hash tag in its Redis key. */
  private static byte[] storedKey(String redisKey) {
    return redisKey.substring(redisKey.indexOf('}') + 1).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A record moved under another stored key, its checksum made to match there as an attacker could. */
  private static byte[] restamped(byte[] record, byte[] storedKey) {
    return RecordFormat.stamp(storedKey, record, false, record[1], RecordFormat.expireAt(record),
        RecordFormat.sequence(record));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    return io.tiercache.testing.Bytes.contains(haystack, needle);
  }

  @Test
  void noValueAndNoHiddenKeyIsInTheServerOrItsSnapshotWhileAPlainCachesAre() throws Exception {
    Path key = keyFile("k1");
    String marker = "MARKER-" + UUID.randomUUID();
    String keyMarker = "KEYMARK-" + UUID.randomUUID();
    String plainMarker = "PLAINMK-" + UUID.randomUUID();
    String sealedNamespace = namespace();
    try (CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> sealed = manager.createCache("sealed", encrypted(String.class, sealedNamespace, "k1",
          Map.of("k1", key)).hashKeys(true).build());
      Cache<String, String> plain = manager.createCache("plain", cache(String.class, namespace()).build());
      sealed.put(keyMarker, marker + " sealed");
      for (int i = 0; i < 100; i++) {
        sealed.put("k" + i, marker + " " + i);
      }
      sealed.getAndReplace(keyMarker, marker + " replaced"); // through compute: the lease path
      plain.put("plain-key", plainMarker + " plain");
      assertThat(sealed.get(keyMarker)).isEqualTo(marker + " replaced");

      Set<String> keysSeen = new HashSet<>();
      sealed.forEach(entry -> keysSeen.add(entry.getKey()));
      assertThat(keysSeen).hasSize(101).contains(keyMarker, "k0", "k99"); // iteration gives real keys

      Map<String, byte[]> stored = entries(sealedNamespace);
      assertThat(stored).hasSize(101);
      for (Map.Entry<String, byte[]> entry : stored.entrySet()) {
        assertThat(entry.getKey()).doesNotContain("KEYMARK");
        assertThat(storedKey(entry.getKey())).as("a keyed hash: 32 bytes, whatever the key").hasSize(32);
        assertThat(contains(entry.getValue(), "MARKER".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(contains(entry.getValue(), "KEYMARK".getBytes(StandardCharsets.UTF_8))).isFalse();
      }

      RedisServer server = RedisServer.shared();
      String compression = server.cli("CONFIG", "GET", "rdbcompression").split("\n")[1].trim();
      try {
        server.cli("CONFIG", "SET", "rdbcompression", "no"); // nothing hidden by compression either
        assertThat(server.cli("SAVE")).contains("OK");
      } finally {
        server.cli("CONFIG", "SET", "rdbcompression", compression);
      }
      byte[] snapshot = Files.readAllBytes(server.directory().resolve("dump.rdb"));
      assertThat(contains(snapshot, plainMarker.getBytes(StandardCharsets.UTF_8)))
          .as("the plain cache's value, found by the same search").isTrue();
      assertThat(contains(snapshot, marker.getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(contains(snapshot, keyMarker.getBytes(StandardCharsets.UTF_8))).isFalse();
    }
  }

  @Test
  void aRecordMovedUnderAnotherKeyOrIntoAnotherCacheReadsAsAbsentNeverAsItsValue() throws Exception {
    Path key = keyFile("k1");
    String first = namespace();
    String second = namespace();
    try (CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> cache = manager.createCache("one", encrypted(String.class, first, "k1",
          Map.of("k1", key)).tiers("redis").build());
      Cache<String, String> other = manager.createCache("two", encrypted(String.class, second, "k1",
          Map.of("k1", key)).tiers("redis").build());
      cache.put("a", "value-a");
      String redisKeyA = entries(first).keySet().iterator().next();
      cache.put("b", "value-b");
      String redisKeyB = entries(first).keySet().stream().filter(k -> !k.equals(redisKeyA)).findFirst().get();
      other.put("a", "other-a");
      String otherKeyA = entries(second).keySet().iterator().next();
      byte[] recordA = redis().get(redisKeyA.getBytes(StandardCharsets.ISO_8859_1));

      // under another key, checksum fixed up: authentication refuses it
      redis().set(redisKeyB.getBytes(StandardCharsets.ISO_8859_1), restamped(recordA, storedKey(redisKeyB)));
      assertThat(cache.get("b")).isNull();
      assertThat(cache.get("a")).isEqualTo("value-a");
      // into another cache, under the same key: another namespace, another data key
      redis().set(otherKeyA.getBytes(StandardCharsets.ISO_8859_1), restamped(recordA, storedKey(otherKeyA)));
      assertThat(other.get("a")).isNull();
      // moved as it is: its checksum names the wrong key, so it is dropped as damaged
      redis().set(redisKeyB.getBytes(StandardCharsets.ISO_8859_1), recordA);
      assertThat(cache.get("b")).isNull();
      assertThat(redis().exists(redisKeyB.getBytes(StandardCharsets.ISO_8859_1))).isZero();
      // the control: without encryption the same move, checksum fixed up, is read as the other key's value
      String plainNamespace = namespace();
      Cache<String, String> plain = manager.createCache("plain", cache(String.class, plainNamespace)
          .tiers("redis").build());
      plain.put("a", "value-a");
      String plainKeyA = entries(plainNamespace).keySet().iterator().next();
      plain.put("b", "value-b");
      String plainKeyB = entries(plainNamespace).keySet().stream().filter(k -> !k.equals(plainKeyA)).findFirst()
          .get();
      redis().set(plainKeyB.getBytes(StandardCharsets.ISO_8859_1), restamped(redis().get(
          plainKeyA.getBytes(StandardCharsets.ISO_8859_1)), storedKey(plainKeyB)));
      assertThat(plain.get("b")).isEqualTo("value-a");
      // a rewrite makes the keys usable again
      cache.put("b", "value-b2");
      other.put("a", "other-a2");
      assertThat(cache.get("b")).isEqualTo("value-b2");
      assertThat(other.get("a")).isEqualTo("other-a2");
    }
  }

  @Test
  void rotationKeepsOldRecordsReadableAcrossProcessesAndAWrongKeyIsNamed() throws Exception {
    Path k1 = keyFile("k1");
    Path k2 = keyFile("k2");
    String namespace = namespace();
    try (CacheManager old = TestCaches.newManager(); CacheManager rotated = TestCaches.newManager();
        CacheManager holder = TestCaches.newManager()) {
      Cache<String, String> before = old.createCache("c", encrypted(String.class, namespace, "k1",
          Map.of("k1", k1)).hashKeys(true).build());
      before.put("written-with-k1", "one");
      // a process rotated to k2, still holding k1: reads the old record, writes with k2
      Cache<String, String> after = rotated.createCache("c", encrypted(String.class, namespace, "k2",
          Map.of("k1", k1, "k2", k2)).hashKeys(true).build());
      assertThat(after.get("written-with-k1")).isEqualTo("one");
      after.put("written-with-k2", "two");
      // a process that has k2 too, though k1 is still its primary: learns k2's number from the shared data key
      Cache<String, String> both = holder.createCache("c", encrypted(String.class, namespace, "k1",
          Map.of("k1", k1, "k2", k2)).hashKeys(true).build());
      assertThat(both.get("written-with-k2")).isEqualTo("two");
      // the process without k2 cannot read k2's record: absent, never another value, and left for the others
      assertThat(before.get("written-with-k2")).isNull();
      assertThat(after.get("written-with-k2")).isEqualTo("two");
    }
    // a wrong key under a known id is an error naming it
    try (CacheManager wrong = TestCaches.newManager()) {
      Path impostor = keyFile("impostor");
      assertThatThrownBy(() -> wrong.createCache("c", encrypted(String.class, namespace, "k1",
          Map.of("k1", impostor)).hashKeys(true).build()))
          .hasMessageContaining("master key 'k1'").hasMessageContaining("is not the key");
      // a keyring with none of the keys that wrapped the data key
      Path k3 = keyFile("k3");
      assertThatThrownBy(() -> wrong.createCache("c2", encrypted(String.class, namespace, "k3",
          Map.of("k3", k3)).hashKeys(true).build()))
          .hasMessageContaining("which the keyring lacks").hasMessageContaining("k3");
    }
  }

  @Test
  void hiddenKeysStillGiveRealKeysToEventsFromAnotherProcessAndTheNearCacheFollowsTheirWrites()
      throws Exception {
    Path key = keyFile("k1");
    String namespace = namespace();
    Created.events.clear();
    try (CacheManager first = TestCaches.newManager(); CacheManager second = TestCaches.newManager()) {
      Cache<String, String> listening = first.createCache("c", encrypted(String.class, namespace, "k1",
          Map.of("k1", key)).hashKeys(true).build());
      listening.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
          FactoryBuilder.factoryOf(Created.class), null, false, true));
      Cache<String, String> writing = second.createCache("c", encrypted(String.class, namespace, "k1",
          Map.of("k1", key)).hashKeys(true).build());
      writing.put("hello", "world");
      String event = Created.events.poll(30, TimeUnit.SECONDS);
      assertThat(event).isEqualTo("hello=world");

      assertThat(listening.get("hello")).isEqualTo("world"); // now kept in the near cache
      writing.put("hello", "again");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"again".equals(listening.get("hello")) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(listening.get("hello")).isEqualTo("again");
    }
  }

  @Test
  void aDestroyedCachesRecordsCannotBeReadEvenWhenPutBack() throws Exception {
    Path key = keyFile("k1");
    String namespace = namespace();
    Map<String, byte[]> copied;
    try (CacheManager manager = TestCaches.newManager()) {
      Cache<String, String> cache = manager.createCache("doomed", encrypted(String.class, namespace, "k1",
          Map.of("k1", key)).tiers("redis").build());
      for (int i = 0; i < 20; i++) {
        cache.put("k" + i, "secret-" + i);
      }
      copied = entries(namespace); // a snapshot someone kept
      assertThat(copied).hasSize(20);
      manager.destroyCache("doomed");
    }
    List<String> items = keys("tc:" + namespace + ":*");
    assertThat(items).as("nothing of the cache is left in Redis").isEmpty();
    copied.forEach((name, value) -> redis().set(name.getBytes(StandardCharsets.ISO_8859_1), value));
    try (CacheManager manager = TestCaches.newManager()) {
      // the records are back, the data key is not: the cache refuses to start rather than read nothing quietly
      assertThatThrownBy(() -> manager.createCache("doomed", encrypted(String.class, namespace, "k1",
          Map.of("k1", key)).tiers("redis").build())).hasMessageContaining("destroyed");
    }
  }

  @Test
  void aPlainProcessIsRefusedOnAnEncryptedNamespaceAndTheOtherWayRound() throws Exception {
    Path key = keyFile("k1");
    String encryptedNamespace = namespace();
    String plainNamespace = namespace();
    try (CacheManager manager = TestCaches.newManager()) {
      manager.createCache("sealed", encrypted(String.class, encryptedNamespace, "k1", Map.of("k1", key)).build())
          .put("a", "b");
      assertThatThrownBy(() -> manager.createCache("plain-on-sealed", cache(String.class, encryptedNamespace)
          .build())).hasMessageContaining("holds encrypted records");
      manager.createCache("plain", cache(String.class, plainNamespace).build()).put("a", "b");
      assertThatThrownBy(() -> manager.createCache("sealed-on-plain", encrypted(String.class, plainNamespace,
          "k1", Map.of("k1", key)).build())).hasMessageContaining("records written without encryption");
      assertThatThrownBy(() -> manager.createCache("hashed-on-sealed", encrypted(String.class,
          encryptedNamespace, "k1", Map.of("k1", key)).hashKeys(true).build()))
          .hasMessageContaining("hash-keys = false");
    }
  }

  /** Hears creations, from any process. */
  public static final class Created implements CacheEntryCreatedListener<String, String>, Serializable {
    static final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
      batch.forEach(event -> events.add(event.getKey() + "=" + event.getValue()));
    }
  }
}
