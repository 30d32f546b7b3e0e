package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.ChildJvm;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand on a real directory the demo made, on a damaged copy of it, and on one a process holds;
 * run in-process through {@link TierCacheCli#run}, exit codes and output checked. {@code .ci/cli-check} runs
 * the built jar the same way.
 */
class CommandLineTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  static Path shared;

  static Path demo;

  @TempDir
  Path work;

  /** What one command did. */
  record Run(int code, String out, String err) { }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TierCacheCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void runTheDemo() {
    demo = shared.resolve("demo");
    Run run = cli("demo", "--directory", demo.toString());
    assertThat(run.code()).as("%s", run).isZero();
  }

  private static CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:cli-" + MANAGERS.incrementAndGet()),
        CommandLineTest.class.getClassLoader(), properties);
  }

  private Path copyOfDemo() throws Exception {
    Path copy = work.resolve("copy");
    try (Stream<Path> files = Files.walk(demo)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(demo.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return copy;
  }

  @Test
  void inspectShowsEachCachesTiersFormatRegistryAndHealth() {
    Run run = cli("inspect", "--classes", demo.toString());
    assertThat(run.code()).as("%s", run).isZero();
    assertThat(run.out()).contains("In use:        no").contains("Record format: version 3 (current)")
        .contains("Health:        sound (324 records passed their checksums)");
    assertThat(run.out().lines().filter(line -> line.startsWith("catalog ")))
        .anySatisfy(line -> assertThat(line).contains("mapdb").contains(" 300 "))
        .anySatisfy(line -> assertThat(line).contains("rocksdb").contains(" 24 ").contains("MiB"));
    assertThat(run.out()).containsPattern("Class registry: \\d+ classes");
  }

  @Test
  void profileShowsSizesAndWhatTheAdaptiveStrategyWouldDo() throws Exception {
    Path directory = work.resolve("profile");
    try (CacheManager manager = manager(directory)) {
      javax.cache.Cache<String, byte[]> cache = manager.createCache("sizes", io.tiercache.configuration
          .TierCacheConfiguration.builder(String.class, byte[].class).tiers("heap", "mapdb", "rocksdb").build());
      for (int i = 0; i < 10; i++) {
        cache.put("medium" + i, new byte[10_000]);   // MapDB under the size strategy, MapDB under adaptive too
        cache.put("large" + i, new byte[300_000]);   // RocksDB under both
        cache.put("mid-large" + i, new byte[100_000]); // MapDB; at bulky-bytes 64 KiB adaptive puts it in RocksDB
      }
    }
    Run run = cli("profile", "--heap-budget", "1MiB", "--bulky-bytes", "64KiB", directory.toString());
    assertThat(run.code()).as("%s", run).isZero();
    assertThat(run.out()).contains("Cache sizes: 30 entries").contains("mapdb 20").contains("rocksdb 10")
        .contains("0 would live in MapDB, 10 in RocksDB")
        .containsPattern("4.0 KiB-16.0 KiB +10 ").containsPattern("256.0 KiB-1.0 MiB +10 ")
        .contains("the budget holds");
    // MapDB's share at bulky-bytes 64 KiB: the ten records of 10,000 bytes and their headers; cooling stops at
    // 90% of 40 KiB
    Run warm = cli("profile", "--bulky-bytes", "64KiB", "--warm-budget", "40KiB", directory.toString());
    assertThat(warm.out()).as("%s", warm).contains("warm budget 40.0 KiB: MapDB's share is 97.9 KiB")
        .contains("about 61.9 KiB, would move down to RocksDB");
    assertThat(cli("profile", "--warm-budget", "2MiB", directory.toString()).out()).contains("nothing moves");
    Run bad = cli("profile", "--heap-budget", "lots", directory.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--heap-budget must be a byte count");
  }

  @Test
  void verifyChecksEveryRecordAndDecodesThemWhenAllowed() {
    Run checksums = cli("verify", demo.toString());
    assertThat(checksums.code()).as("%s", checksums).isZero();
    assertThat(checksums.out()).contains("values were not decoded").contains("Sound: 2 stores, 324 records.");

    Run decoded = cli("verify", "--allow", "io.tiercache.demo.**", demo.toString());
    assertThat(decoded.code()).as("%s", decoded).isZero();
    assertThat(decoded.out()).contains("decoded every key and value");
  }

  @Test
  void exportThenImportMovesEveryEntryToAnotherDirectoryAndLayout() throws Exception {
    Path export = work.resolve("catalog.jsonl");
    Run exported = cli("export", demo.toString(), "catalog", "-o", export.toString());
    assertThat(exported.code()).as("%s", exported).isZero();
    assertThat(exported.err()).contains("Exported 324 entries");
    List<String> lines = Files.readAllLines(export);
    assertThat(lines).hasSize(1 + 324);
    assertThat(lines.get(0)).startsWith("{\"tiercache-export\":1,\"cache\":\"catalog\"");
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"key-text\":\"blob-3\""));

    // into a single RocksDB tier this time: the data moves between directories and tier layouts
    Path conf = work.resolve("target.conf");
    Files.writeString(conf, "tiercache { caches { catalog { tiers = [rocksdb] } } }\n");
    Path target = work.resolve("target");
    Run imported = cli("import", "--config", conf.toString(), target.toString(), "catalog", export.toString());
    assertThat(imported.code()).as("%s", imported).isZero();
    assertThat(imported.err()).contains("Imported 324 entries into cache 'catalog'");

    Run check = cli("inspect", target.toString());
    assertThat(check.out().lines().filter(line -> line.startsWith("catalog "))).as("%s", check)
        .singleElement().satisfies(line -> assertThat(line).contains("rocksdb").contains(" 324 "));
    try (CacheManager source = manager(demo); CacheManager copy = manager(target)) {
      Cache<String, Object> original = source.createCache("catalog",
          TierCacheConfiguration.builder(String.class, Object.class).tiers("heap", "mapdb", "rocksdb").build());
      Cache<Object, Object> moved = copy.createCache("catalog",
          TierCacheConfiguration.builder(Object.class, Object.class).tiers("rocksdb").build());
      for (int i = 0; i < 300; i++) {
        Object document = original.get("document-" + i);
        assertThat(document).as("document-%d in the demo directory", i).isNotNull();
        assertThat(document.equals(moved.get("document-" + i))).as("document-%d moved", i).isTrue();
      }
      for (int i = 0; i < 24; i++) {
        assertThat((byte[]) moved.get("blob-" + i)).isEqualTo((byte[]) original.get("blob-" + i));
      }
    }
  }

  @Test
  void eachEntryKeepsItsExpiryAcrossExportAndImportAndACutFileIsRefused() throws Exception {
    Path source = work.resolve("expiring");
    try (CacheManager manager = manager(source)) {
      Cache<String, String> expiring = manager.createCache("sessions", TierCacheConfiguration
          .builder(String.class, String.class).tiers("rocksdb")
          .expiryPolicy(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR))
          .build());
      for (int i = 0; i < 10; i++) {
        expiring.put("s" + i, "session " + i);
      }
    }
    Path export = work.resolve("sessions.jsonl");
    assertThat(cli("export", source.toString(), "sessions", "-o", export.toString()).code()).isZero();
    assertThat(java.nio.file.Files.getPosixFilePermissions(export))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path target = work.resolve("imported");
    Run imported = cli("import", target.toString(), "sessions", export.toString());
    assertThat(imported.code()).as("%s", imported).isZero();

    Path again = work.resolve("again.jsonl");
    assertThat(cli("export", target.toString(), "sessions", "-o", again.toString()).code()).isZero();
    java.util.Map<String, Long> before = expiries(export);
    java.util.Map<String, Long> after = expiries(again);
    assertThat(after.keySet()).isEqualTo(before.keySet()).hasSize(10);
    // the same instants (to within the milliseconds an import takes), not eternal and not a policy of the target
    after.forEach((key, at) -> assertThat(at).as(key).isCloseTo(before.get(key), org.assertj.core.data.Offset
        .offset(50L)));
    assertThat(expiries(again).values()).allSatisfy(at -> assertThat(at).isGreaterThan(
        System.currentTimeMillis() + 3_000_000L));

    List<String> lines = Files.readAllLines(export);
    Files.write(export, lines.subList(0, lines.size() - 1));
    Run cut = cli("import", work.resolve("cut").toString(), "sessions", export.toString());
    assertThat(cut.code()).isEqualTo(TierCacheCli.FAILED);
    assertThat(cut.err()).contains("holds 9 entries but its header says 10").contains("nothing was imported");
  }

  private static java.util.Map<String, Long> expiries(Path export) throws Exception {
    java.util.Map<String, Long> byKey = new java.util.TreeMap<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "\"expire-at\":(\\d+).*\"key-text\":\"([^\"]+)\"");
    for (String text : Files.readAllLines(export)) {
      java.util.regex.Matcher found = line.matcher(text);
      if (found.find()) {
        byKey.put(found.group(2), Long.parseLong(found.group(1)));
      }
    }
    return byKey;
  }

  @Test
  void importRefusesWhatItCannotDecodeNamingTheLine() throws Exception {
    Path export = work.resolve("catalog.jsonl");
    assertThat(cli("export", demo.toString(), "catalog", "-o", export.toString()).code()).isZero();
    List<String> lines = Files.readAllLines(export);
    Files.write(export, List.of(lines.get(0).replaceFirst("\"entries\":\\d+", "\"entries\":2"), lines.get(1),
        "{\"key\":\"not base64!\",\"value\":\"AA==\"}"));
    Run run = cli("import", work.resolve("target").toString(), "catalog", export.toString());
    assertThat(run.code()).isEqualTo(TierCacheCli.FAILED);
    assertThat(run.err()).contains("line 3 is malformed: its \"key\" is not base64").doesNotContain("\tat ");

    Files.writeString(export, "{\"something\":1}\n");
    assertThat(cli("import", work.resolve("target").toString(), "catalog", export.toString()).err())
        .contains("is not a tiercache export");
  }

  @Test
  void compactKeepsEveryRecordAndRefusesADirectoryInUse() throws Exception {
    Path copy = copyOfDemo();
    Run compacted = cli("compact", copy.toString());
    assertThat(compacted.code()).as("%s", compacted).isZero();
    assertThat(compacted.out()).contains("rocksdb: ").contains("mapdb/catalog.db: ").contains("Compacted");
    Run after = cli("verify", "--allow", "io.tiercache.demo.**", copy.toString());
    assertThat(after.code()).as("%s", after).isZero();
    assertThat(after.out()).contains("Sound: 2 stores, 324 records.");

    try (CacheManager running = manager(copy)) {
      running.createCache("catalog", TierCacheConfiguration.builder(String.class, Object.class)
          .tiers("heap", "mapdb", "rocksdb").build());
      Run refused = cli("compact", copy.toString());
      assertThat(refused.code()).isEqualTo(TierCacheCli.FAILED);
      assertThat(refused.err()).contains("is in use by this process").contains("compact changes the directory");
      Run importRefused = cli("import", copy.toString(), "catalog", work.resolve("none.jsonl").toString());
      assertThat(importRefused.code()).isEqualTo(TierCacheCli.FAILED);

      Run reading = cli("inspect", copy.toString());
      assertThat(reading.code()).as("%s", reading).isZero();
      assertThat(reading.out()).contains("In use:        yes, by this process");
      assertThat(cli("export", copy.toString(), "catalog", "-o", work.resolve("live.jsonl").toString()).code())
          .isZero();
    }
  }

  @Test
  void damageIsFoundAndTheExitCodeSaysSo() throws Exception {
    Path copy = copyOfDemo();
    Path table;
    try (Stream<Path> files = Files.list(copy.resolve("rocksdb"))) {
      table = files.filter(f -> f.toString().endsWith(".sst")).max(Comparator.comparingLong(f -> f.toFile().length()))
          .orElseThrow();
    }
    flip(table, 0.4);
    Run verify = cli("verify", copy.toString());
    assertThat(verify.code()).as("%s", verify).isEqualTo(TierCacheCli.DAMAGE_FOUND);
    assertThat(verify.out()).contains("rocksdb#catalog").contains("DAMAGE FOUND");
    Run inspect = cli("inspect", copy.toString());
    assertThat(inspect.code()).isEqualTo(TierCacheCli.DAMAGE_FOUND);
    assertThat(inspect.out()).contains("Health:        DAMAGED");
    Run export = cli("export", copy.toString(), "catalog", "-o", work.resolve("x.jsonl").toString());
    assertThat(export.code()).as("nothing damaged is exported: %s", export).isEqualTo(TierCacheCli.FAILED);
  }

  @Test
  void aTruncatedMapDbLogIsFound() throws Exception {
    Path copy = copyOfDemo();
    Path log;
    try (Stream<Path> files = Files.list(copy.resolve("mapdb"))) {
      log = files.filter(f -> f.getFileName().toString().contains(".log.")).findFirst().orElseThrow();
    }
    flip(log, 0.5);
    Run verify = cli("verify", copy.toString());
    assertThat(verify.code()).as("%s", verify).isEqualTo(TierCacheCli.DAMAGE_FOUND);
    assertThat(verify.out()).contains("mapdb/catalog.db");
  }

  private static void flip(Path file, double at) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long position = (long) (raf.length() * at);
      for (int i = 0; i < 16; i++) {
        raf.seek(position + i);
        int b = raf.read();
        raf.seek(position + i);
        raf.write(b ^ 0x5A);
      }
    }
  }

  @Test
  void errorsAreOneLineAndExitTwo() {
    Run missing = cli("inspect", work.resolve("nowhere").toString());
    assertThat(missing.code()).isEqualTo(TierCacheCli.FAILED);
    assertThat(missing.err().trim()).startsWith("tiercache inspect: ").contains("is not a directory")
        .doesNotContain("\n");
    Run notOurs = cli("verify", work.toString());
    assertThat(notOurs.err()).contains("is not a tiercache directory");
    Run unknownCache = cli("export", demo.toString(), "orders");
    assertThat(unknownCache.code()).isEqualTo(TierCacheCli.FAILED);
    assertThat(unknownCache.err()).contains("no disk store for cache 'orders'").contains("[catalog]");
    Run usage = cli("inspect");
    assertThat(usage.code()).isEqualTo(TierCacheCli.FAILED);
    assertThat(usage.err()).contains("Missing required parameter");
  }

  @Test
  void statsReadsEachTierOverJmx() throws Exception {
    JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
        new JMXServiceURL("service:jmx:rmi://127.0.0.1"), null, ManagementFactory.getPlatformMBeanServer());
    server.start();
    try (CacheManager manager = manager(work.resolve("stats"))) {
      Cache<String, String> cache = manager.createCache("orders-stats", TierCacheConfiguration
          .builder(String.class, String.class).tiers("heap", "rocksdb").strategy("size")
          .strategyOption("heap-max-bytes", "64").build());
      cache.put("big", "x".repeat(500));
      cache.get("big");
      Run run = cli("stats", "--jmx", server.getAddress().toString());
      assertThat(run.code()).as("%s", run).isZero();
      assertThat(run.out().lines().filter(line -> line.contains("orders-stats")))
          .anySatisfy(line -> assertThat(line).contains("HEALTHY").contains("heap").containsPattern(" 0 +1 "))
          .anySatisfy(line -> assertThat(line).contains("rocksdb").containsPattern(" 1 +\\S+ \\S+ +1 +0 "));
    } finally {
      server.stop();
    }
    Run unreachable = cli("stats", "--jmx", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi");
    assertThat(unreachable.code()).isEqualTo(TierCacheCli.FAILED);
  }

  @Test
  void statsAttachesToARunningJvmByPid() throws Exception {
    try (ChildJvm child = ChildJvm.start(CacheHoldingChild.class, work.resolve("child").toString())) {
      child.awaitLine("ready", 60);
      Run run = cli("stats", Long.toString(child.pid()));
      assertThat(run.code()).as("%s", run).isZero();
      assertThat(run.out()).contains("held-by-child").contains("rocksdb");
    }
  }

  /** A JVM with one cache open, until it is stopped. */
  public static final class CacheHoldingChild {
    public static void main(String[] args) throws Exception {
      try (CacheManager manager = manager(Path.of(args[0]))) {
        Cache<String, String> cache = manager.createCache("held-by-child",
            TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
        cache.put("k", "v");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
      }
    }
  }

  @Test
  void helpListsEveryCommand() {
    Run help = cli("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("inspect", "verify", "compact", "export", "import", "stats", "demo");
    assertThat(Arrays.asList(cli("help", "export").out().split("\n"))).anySatisfy(line ->
        assertThat(line).contains("JSON"));
  }
}
