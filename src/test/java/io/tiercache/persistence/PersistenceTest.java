package io.tiercache.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Disk tiers: entries outlive managers and processes, names stay inside the directory, data is trusted no more than it should be. */
class PersistenceTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path directory;

  private CacheManager manager(Path dir) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, dir.toString());
    // a fresh URI each time: the provider would hand back the same open manager otherwise
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:persistence-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
  }

  /** A value class of the application, allowlisted by its package. */
  public static final class Invoice implements Serializable {
    final String customer;
    final long cents;

    public Invoice(String customer, long cents) {
      this.customer = customer;
      this.cents = cents;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Invoice && ((Invoice) o).customer.equals(customer) && ((Invoice) o).cents == cents;
    }

    @Override
    public int hashCode() {
      return Objects.hash(customer, cents);
    }
  }

  private TierCacheConfiguration<String, Invoice> invoices(String tier) {
    return TierCacheConfiguration.builder(String.class, Invoice.class).tiers(tier)
        .allowlist(Invoice.class.getPackageName() + ".*").build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocksdb", "mapdb"})
  void entriesSurviveTheCacheManagerClosingAndReopening(String tier) {
    try (CacheManager first = manager(directory)) {
      Cache<String, Invoice> cache = first.createCache("invoices", invoices(tier));
      for (int i = 0; i < 100; i++) {
        cache.put("inv-" + i, new Invoice("customer " + i, i * 100L));
      }
    }
    try (CacheManager second = manager(directory)) {
      Cache<String, Invoice> cache = second.createCache("invoices", invoices(tier));
      for (int i = 0; i < 100; i++) {
        assertThat(cache.get("inv-" + i)).isEqualTo(new Invoice("customer " + i, i * 100L));
      }
    }
  }

  @Test
  void aTransientCacheStartsEmpty() {
    try (CacheManager first = manager(directory)) {
      first.createCache("scratch", invoices("rocksdb")).put("k", new Invoice("a", 1));
    }
    try (CacheManager second = manager(directory)) {
      TierCacheConfiguration<String, Invoice> configuration = invoices("rocksdb");
      configuration.setTierSetting("transient", true);
      assertThat(second.createCache("scratch", configuration).get("k")).isNull();
    }
  }

  @Test
  void acknowledgedWritesSurviveAKillOfTheProcess() throws Exception {
    Path store = directory.resolve("killed");
    Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ChildProcess.class.getName(), "write-then-hang",
        store.toString(), "500")
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      List<String> lines = new ArrayList<>();
      while ((line = out.readLine()) != null && !line.equals("READY")) {
        lines.add(line);
      }
      assertThat(line).as("child output: %s", lines).isEqualTo("READY");

      // the child holds the directory: a second process is refused, and told by whom
      try (CacheManager blocked = manager(store)) {
        TierCacheConfiguration<String, String> strict = TierCacheConfiguration.builder(String.class, String.class)
            .tiers("rocksdb").strict(true).build();
        assertThatThrownBy(() -> blocked.createCache("durable", strict))
            .isInstanceOf(CacheException.class)
            .hasMessageContaining("in use by another process")
            .hasMessageContaining("pid " + child.pid());
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
      child.waitFor(30, TimeUnit.SECONDS);
    }
    try (CacheManager survivor = manager(store)) {
      Cache<String, String> cache = survivor.createCache("durable",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
      for (int i = 0; i < 500; i++) {
        assertThat(cache.get("key-" + i)).as("key-%d", i).isEqualTo("value-" + i);
      }
    }
  }

  @Test
  void aRecordWhoseRegistryEntryWasTamperedToNameAnUnlistedClassIsDroppedUninstantiated() throws Exception {
    try (CacheManager first = manager(directory)) {
      Cache<String, Invoice> cache = first.createCache("invoices", invoices("rocksdb"));
      cache.put("k", new Invoice("a", 1));
      cache.put("other", new Invoice("b", 2));
    }
    Path registry = directory.resolve("kryo-classes.registry");
    String original = Files.readString(registry);
    assertThat(original).contains(Invoice.class.getName());
    // an attacker points the id the records use at a class nobody allowed: a line without its checksum is read
    // as one from an older version (a changed line that keeps its checksum is refused outright)
    Files.writeString(registry, "64\tjava.net.URLClassLoader\n");
    try (CacheManager second = manager(directory)) {
      Cache<String, Invoice> cache = second.createCache("invoices", invoices("rocksdb"));
      // the class is never loaded: the record is a miss, dropped and counted, and the key is usable again
      assertThat(cache.getAll(java.util.Set.of("k", "other"))).isEmpty();
      assertThat(cache.unwrap(CacheHealth.class).dropped()).isEqualTo(2);
      assertThat(cache.get("k")).isNull();
      assertThat(cache.iterator().hasNext()).isFalse();
      assertThat(cache.getAndPut("k", new Invoice("c", 3))).isNull();
      assertThat(cache.get("k")).isEqualTo(new Invoice("c", 3));
    }
  }

  @Test
  void aValueOfAClassNotAllowlistedIsRefusedBeforeAnythingChanges() {
    try (CacheManager manager = manager(directory)) {
      List<String> written = new ArrayList<>();
      TierCacheConfiguration<String, Object> configuration = TierCacheConfiguration
          .builder(String.class, Object.class).tiers("rocksdb")
          .writeThrough(() -> new RecordingWriter(written)).build();
      Cache<String, Object> cache = manager.createCache("guarded", configuration);
      cache.put("k", "allowed");
      assertThatThrownBy(() -> cache.put("k", new Invoice("not allowlisted", 1)))
          .isInstanceOf(CacheException.class) // the tier's own exception, translated at the cache's boundary
          .hasMessageContaining("Cache 'guarded'")
          .hasMessageContaining(Invoice.class.getName())
          .hasMessageContaining("serializer.allowlist")
          .hasCauseInstanceOf(io.tiercache.serialization.UnsafeClassException.class);
      assertThatThrownBy(() -> cache.invoke("k", (entry, arguments) -> {
        entry.setValue(new Invoice("not allowlisted", 2));
        return null;
      })).isInstanceOf(CacheException.class)
          .isNotInstanceOf(javax.cache.processor.EntryProcessorException.class) // storing failed, not the processor
          .hasCauseInstanceOf(io.tiercache.serialization.UnsafeClassException.class);
      assertThat(cache.get("k")).isEqualTo("allowed");
      assertThat(written).containsExactly("k=allowed");
    }
  }

  /** Records writes as key=value. */
  static final class RecordingWriter implements javax.cache.integration.CacheWriter<String, Object> {
    private final List<String> written;

    RecordingWriter(List<String> written) {
      this.written = written;
    }

    @Override
    public void write(Cache.Entry<? extends String, ?> entry) {
      written.add(entry.getKey() + "=" + entry.getValue());
    }

    @Override
    public void writeAll(java.util.Collection<Cache.Entry<? extends String, ?>> entries) {
      entries.forEach(this::write);
      entries.clear();
    }

    @Override
    public void delete(Object key) {
    }

    @Override
    public void deleteAll(java.util.Collection<?> keys) {
      keys.clear();
    }
  }

  @Test
  void aCacheNameCannotReachOutsideTheDirectory() throws Exception {
    Path inner = directory.resolve("inner");
    try (CacheManager manager = manager(inner)) {
      Cache<String, Invoice> cache = manager.createCache("../../etc", invoices("mapdb"));
      cache.put("k", new Invoice("a", 1));
    }
    try (var files = Files.walk(directory)) {
      assertThat(files.filter(Files::isRegularFile))
          .allMatch(file -> file.startsWith(inner), "every file stays inside " + inner);
    }
    assertThat(Files.list(inner.resolve("mapdb")).map(p -> p.getFileName().toString()))
        .contains("%2E%2E%2F%2E%2E%2Fetc.db");
  }

  @Test
  void theDirectoryIsPrivateToItsOwner() throws Exception {
    Path store = directory.resolve("private");
    try (CacheManager manager = manager(store)) {
      manager.createCache("c", invoices("rocksdb")).put("k", new Invoice("a", 1));
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store)))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void twoManagersCannotShareOneDirectory() {
    try (CacheManager first = manager(directory); CacheManager second = manager(directory)) {
      first.createCache("a", invoices("rocksdb"));
      TierCacheConfiguration<String, Invoice> strict = invoices("rocksdb");
      strict.setTierSetting("strict", true);
      assertThatThrownBy(() -> second.createCache("b", strict))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("already open in this process");
    }
  }

  @Test
  void anExpiredRecordOnDiskIsRemovedWhenReadAndAnnounced() {
    io.tiercache.testing.FakeClock clock = new io.tiercache.testing.FakeClock();
    List<String> expired = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (CacheManager manager = manager(directory)) {
      Cache<String, String> cache = manager.createCache("ttl",
          TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").clock(clock)
              .expiryPolicy(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_MINUTE))
              .listener(new javax.cache.configuration.MutableCacheEntryListenerConfiguration<>(
                  () -> (javax.cache.event.CacheEntryExpiredListener<String, String>) events ->
                      events.forEach(event -> expired.add(event.getKey() + "=" + event.getValue())),
                  null, true, true))
              .build());
      cache.put("k", "v");
      clock.advance(java.time.Duration.ofMinutes(2));
      assertThat(cache.get("k")).isNull();
      assertThat(expired).containsExactly("k=v");
      assertThat(cache.unwrap(org.rocksdb.RocksDB.class)).isNotNull();
      assertThat(cache.unwrap(io.tiercache.tier.serialized.ByteStore.class).get(new byte[] {2, 'k'})).isNull();
    }
  }
}
