package io.tiercache.damage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.persistence.StoreVerifier;
import io.tiercache.tier.TierException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreVerifier} reports sound stores as sound, and finds damage where there is some. */
class StoreVerifierTest {

  @TempDir
  Path directory;

  private CacheManager manager(String uri) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create(uri), getClass().getClassLoader(), properties);
  }

  private void populate() {
    try (CacheManager manager = manager("tiercache:verify-populate")) {
      for (String tier : List.of("mapdb", "rocksdb")) {
        Cache<String, DamageTest.Payload> cache = manager.createCache(tier, TierCacheConfiguration
            .builder(String.class, DamageTest.Payload.class).tiers(tier).allowlist("io.tiercache.damage.*").build());
        for (int i = 0; i < 2000; i++) {
          cache.put("k" + i, new DamageTest.Payload("value-" + i + "-" + "y".repeat(100)));
        }
      }
    }
  }

  @Test
  void aSoundDirectoryVerifiesCleanRecordByRecord() {
    populate();
    StoreVerifier.Report report = StoreVerifier.verify(directory, List.of("io.tiercache.damage.*"),
        getClass().getClassLoader());
    assertThat(report.damageFound()).as("%s", report).isFalse();
    assertThat(report.stores()).extracting(StoreVerifier.StoreReport::store)
        .containsExactlyInAnyOrder("rocksdb#rocksdb", "mapdb/mapdb.db");
    assertThat(report.stores()).allSatisfy(store -> assertThat(store.records()).isEqualTo(2000));
  }

  @Test
  void valuesOfClassesNotAllowedAreReportedAsUndecodable() {
    populate();
    StoreVerifier.Report report = StoreVerifier.verify(directory, List.of("com.example.*"),
        getClass().getClassLoader());
    assertThat(report.damageFound()).isTrue();
    assertThat(report.stores()).allSatisfy(store -> assertThat(store.damaged()).isEqualTo(2000));
  }

  @Test
  void aDamagedTableFileIsFound() throws Exception {
    populate();
    Path table;
    try (Stream<Path> files = Files.list(directory.resolve("rocksdb"))) {
      table = files.filter(f -> f.toString().endsWith(".sst")).max(Comparator.comparingLong(f -> f.toFile().length()))
          .orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(table.toFile(), "rw")) {
      long middle = raf.length() / 3;
      raf.seek(middle);
      int b = raf.read();
      raf.seek(middle);
      raf.write(b ^ 0x5A);
    }
    StoreVerifier.Report report = StoreVerifier.verify(directory, List.of(), getClass().getClassLoader());
    assertThat(report.damageFound()).as("%s", report).isTrue();
    assertThat(report.stores().stream().filter(s -> !s.sound()).findFirst().orElseThrow().problems().toString())
        .containsAnyOf("checksum", "Corruption", "corrupt");
  }

  @Test
  void aDirectoryInUseIsNotVerified() {
    populate();
    try (CacheManager manager = manager("tiercache:verify-held")) {
      manager.createCache("held", TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
      assertThatThrownBy(() -> StoreVerifier.verify(directory, List.of(), getClass().getClassLoader()))
          .isInstanceOf(TierException.class).hasMessageContaining("already open");
    }
  }
}
