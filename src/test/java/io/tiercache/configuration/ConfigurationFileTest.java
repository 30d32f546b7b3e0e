package io.tiercache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files named by a cache manager's URI: layering, overrides and precise errors. */
class ConfigurationFileTest {

  @TempDir
  Path directory;

  private Path write(String name, String content) throws Exception {
    return Files.writeString(directory.resolve(name), content);
  }

  @Test
  void aCacheSectionOverridesTheDefaultsWhichOverrideTheBuiltIns() throws Exception {
    Path file = write("layers.conf", String.join("\n",
        "tiercache {",
        "  default { tiers = [heap, rocksdb], rocksdb.sync = true }",
        "  caches { \"reports\" { tiers = [mapdb], mapdb.transactions = true } }",
        "}"));
    ConfigurationSource source = ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of());
    CacheSettings reports = source.settingsFor("reports", Map.of());
    assertThat(reports.tiers()).containsExactly("mapdb");
    assertThat(reports.mapdbTransactions()).isTrue();
    assertThat(reports.rocksdbSync()).isTrue();               // from the file's defaults
    assertThat(reports.heapMaximumSize()).isEqualTo(100_000); // built in
    CacheSettings other = source.settingsFor("other", Map.of());
    assertThat(other.tiers()).containsExactly("heap", "rocksdb");
    CacheSettings programmatic = source.settingsFor("reports", Map.of("tiers", List.of("heap")));
    assertThat(programmatic.tiers()).containsExactly("heap");
    assertThat(source.declaredCaches()).containsExactly("reports");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws Exception {
    Path file = write("env.conf", "tiercache.default { tiers = [heap], heap.maximum-size = 10 }");
    ConfigurationSource source = ConfigurationSource.load(file.toUri(), getClass().getClassLoader(),
        Map.of("TIERCACHE_default_tiers", "[heap, mapdb]", "TIERCACHE_default_heap_maximum__size", "5000",
            "HOME", "/irrelevant", "TIERCACHE_HOME", "/opt/someone-elses-variable"));
    CacheSettings settings = source.settingsFor("any", Map.of());
    assertThat(settings.tiers()).containsExactly("heap", "mapdb");
    assertThat(settings.heapMaximumSize()).isEqualTo(5000);
  }

  @Test
  void substitutionsReadSystemPropertiesAsWellAsTheEnvironment() throws Exception {
    Path file = write("substituted.conf", String.join("\n",
        "tiercache {",
        "  directory = ${?tiercache-test.cache-home}",
        "  caches { orders { heap.maximum-size = ${?tiercache-test.orders-size} } }",
        "}"));
    System.setProperty("tiercache-test.cache-home", "/srv/cache");
    System.setProperty("tiercache-test.orders-size", "1234");
    try {
      ConfigurationSource source = ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of());
      assertThat(source.settingsFor("orders", Map.of()).heapMaximumSize()).isEqualTo(1234);
      assertThat(source.directory(java.net.URI.create("tiercache:x")).toString()).isEqualTo("/srv/cache");
    } finally {
      System.clearProperty("tiercache-test.cache-home");
      System.clearProperty("tiercache-test.orders-size");
    }
  }

  @Test
  void settingsOutsideTheTiercacheSectionAreRefusedNotIgnored() throws Exception {
    Path file = write("no-root.conf", String.join("\n",
        "# meant for tiercache, but without its section: every cache would quietly run on the heap",
        "caches {",
        "  orders { tiers = [heap, rocksdb] }",
        "}"));
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining(file.toUri().toString() + ": 2")
        .hasMessageContaining("'caches' is at the top level").hasMessageContaining("tiercache { ... }");
  }

  @Test
  void anUnknownTierIsReportedWithFileLineKeyAndAllowedValues() throws Exception {
    Path file = write("typo.conf", String.join("\n",
        "tiercache {",
        "  caches {",
        "    orders {",
        "      tiers = [heap, rockdb]",
        "    }",
        "  }",
        "}"));
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toUri().toString()).hasMessageContaining(": 4")
        .hasMessageContaining("tiers[1]").hasMessageContaining("'rockdb'")
        .hasMessageContaining("allowed: heap, mapdb, rocksdb");
  }

  @Test
  void anUnknownKeyIsReportedWithTheKeysThatExist() throws Exception {
    Path file = write("unknown.conf", "tiercache.default.rocksdb { sync = true, compression = zstd }");
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown.conf").hasMessageContaining("rocksdb.compression")
        .hasMessageContaining("maximum-bytes, maximum-entries, sync");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheKeyAndWhatItMustBe() throws Exception {
    Path file = write("type.conf", "tiercache.default { strict = sometimes }");
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("type.conf").hasMessageContaining("strict").hasMessageContaining("true or false");
    Path mode = write("mode.conf", "tiercache.default.mapdb.mode = tape");
    assertThatThrownBy(() -> ConfigurationSource.load(mode.toUri(), getClass().getClassLoader(), Map.of()))
        .hasMessageContaining("mapdb.mode").hasMessageContaining("'tape'").hasMessageContaining("file, file-lost-on-crash, direct");
  }

  @Test
  void programmaticSettingsAreValidatedToo() throws Exception {
    ConfigurationSource source = ConfigurationSource.load(URI.create("tiercache:none"), getClass().getClassLoader(),
        Map.of());
    assertThatThrownBy(() -> source.settingsFor("c", Map.of("rocksdb.fsync", true)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("programmatic configuration of cache 'c'").hasMessageContaining("rocksdb.fsync");
  }

  @Test
  void aMissingFileIsNamed() {
    URI missing = directory.resolve("absent.conf").toUri();
    assertThatThrownBy(() -> ConfigurationSource.load(missing, getClass().getClassLoader(), Map.of()))
        .isInstanceOf(CacheException.class).hasMessageContaining("absent.conf");
    assertThatThrownBy(() -> ConfigurationSource.load(URI.create("classpath:nope.conf"),
        getClass().getClassLoader(), Map.of()))
        .isInstanceOf(CacheException.class).hasMessageContaining("nope.conf");
  }

  @Test
  void aCacheManagerUriNamesItsFileAndDeclaredCachesAppearOnFirstUse() throws Exception {
    Path store = directory.resolve("store");
    Path file = write("manager.conf", String.join("\n",
        "tiercache {",
        "  directory = \"" + store.toString().replace("\\", "\\\\") + "\"",
        "  caches { sessions { tiers = [rocksdb] } }",
        "}"));
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager(file.toUri(),
        getClass().getClassLoader())) {
      Cache<Object, Object> sessions = manager.getCache("sessions");
      assertThat(sessions).isNotNull();
      sessions.put("s1", "alice");
      assertThat(sessions.get("s1")).isEqualTo("alice");
      assertThat(Files.isDirectory(store.resolve("rocksdb"))).isTrue();
      assertThat(manager.getCache("undeclared")).isNull();
    }
  }

  @Test
  void aPlainFilePathWorksWhereverAUriDoes() throws Exception {
    Path file = write("plain path.conf", "tiercache.default { tiers = [heap], heap.maximum-size = 4242 }");
    assertThat(ConfigurationSource.fileOrUri(file.toString())).isEqualTo(file.toUri());
    assertThat(ConfigurationSource.fileOrUri(file.toUri().toString())).isEqualTo(file.toUri());
    assertThat(ConfigurationSource.fileOrUri("classpath:tck-mapdb.conf")).hasScheme("classpath");
    String previous = System.getProperty(ConfigurationSource.SYSTEM_PROPERTY);
    System.setProperty(ConfigurationSource.SYSTEM_PROPERTY, file.toString()); // -Dtiercache.config=/a/path
    try {
      ConfigurationSource source = ConfigurationSource.load(URI.create("tiercache:plain-path"),
          getClass().getClassLoader(), Map.of());
      assertThat(source.settingsFor("any", Map.of()).heapMaximumSize()).isEqualTo(4242);
    } finally {
      if (previous == null) {
        System.clearProperty(ConfigurationSource.SYSTEM_PROPERTY);
      } else {
        System.setProperty(ConfigurationSource.SYSTEM_PROPERTY, previous);
      }
    }
    Path plain = write("manager.conf", "tiercache.default { heap.maximum-size = 77 }");
    ConfigurationSource byManagerUri = ConfigurationSource.load(new URI(null, null, plain.toString(), null),
        getClass().getClassLoader(), Map.of());
    assertThat(byManagerUri.settingsFor("any", Map.of()).heapMaximumSize()).isEqualTo(77);
  }

  @Test
  void aMistypedStrategyFailsWhenTheFileLoadsEvenForASingleTierCache() throws Exception {
    Path file = write("strategy.conf", String.join("\n",
        "tiercache {",
        "  caches {",
        "    \"orders\" {",
        "      tiers = [heap]",
        "      strategy.name = sise",
        "    }",
        "  }",
        "}"));
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("strategy.conf: 5")
        .hasMessageContaining("strategy.name of cache 'orders'").hasMessageContaining("unknown strategy 'sise'")
        .hasMessageContaining("allowed:").hasMessageContaining("size");
    Path options = write("options.conf", String.join("\n",
        "tiercache.default {",
        "  tiers = [heap, rocksdb]",
        "  strategy { name = single, tier = rockdb }",
        "}"));
    assertThatThrownBy(() -> ConfigurationSource.load(options.toUri(), getClass().getClassLoader(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("options.conf: 3")
        .hasMessageContaining("rockdb");
  }

  @Test
  void environmentVariablesAreIgnoredOnlyWhenTheyNameNoPartOfTiercache() throws Exception {
    Path file = write("env-typo.conf", "tiercache.default { tiers = [heap] }");
    // someone else's variable: ignored with a warning
    ConfigurationSource.load(file.toUri(), getClass().getClassLoader(), Map.of("TIERCACHE_HOME", "/opt/x"));
    // meant for tiercache, but mistyped: refused, naming the variable
    assertThatThrownBy(() -> ConfigurationSource.load(file.toUri(), getClass().getClassLoader(),
        Map.of("TIERCACHE_default_rocksdb_synk", "true")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("TIERCACHE_default_rocksdb_synk")
        .hasMessageContaining("allowed:");
  }
}
