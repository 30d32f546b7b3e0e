package io.tiercache.damage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages every kind of file a tiercache directory holds, by flipping random bytes and by truncating at a
 * random point, then reopens it and reads every key. Whatever happens, no read returns a wrong value: a key
 * reads as its value or as absent, or the cache refuses to start with an error naming what is damaged. The
 * totals per kind of file are printed for the note.
 */
class DamageTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();
  private static final int ENTRIES = 300;
  private static final int FLIP_TRIALS = Integer.getInteger("tiercache.damage.flips", 4);
  private static final int TRUNCATE_TRIALS = Integer.getInteger("tiercache.damage.truncations", 2);

  @TempDir
  Path work;

  /** The kinds of file, by how their names look; "live" kinds are taken from a copy made while it was open. */
  private static final Map<String, Predicate<String>> KINDS = new TreeMap<>(Map.ofEntries(
      Map.entry("mapdb file", (Predicate<String>) (name -> name.endsWith(".db"))),
      Map.entry("mapdb log", (Predicate<String>) (name -> name.matches(".*\\.db\\.log\\.[0-9]+"))),
      Map.entry("rocksdb table", (Predicate<String>) (name -> name.endsWith(".sst"))),
      Map.entry("rocksdb manifest", (Predicate<String>) (name -> name.startsWith("MANIFEST-"))),
      Map.entry("rocksdb current", (Predicate<String>) (name -> name.equals("CURRENT"))),
      Map.entry("rocksdb options", (Predicate<String>) (name -> name.startsWith("OPTIONS-"))),
      Map.entry("rocksdb catalog", (Predicate<String>) (name -> name.equals("tiercache-catalog"))),
      Map.entry("class registry", (Predicate<String>) (name -> name.equals("kryo-classes.registry"))),
      Map.entry("class id high-water",
          (Predicate<String>) (name -> name.equals("kryo-classes.registry.high-water"))),
      Map.entry("lock file", (Predicate<String>) (name -> name.equals("tiercache.lock"))),
      Map.entry("data key", (Predicate<String>) (name -> name.endsWith("-sealed.key"))),
      Map.entry("rocksdb wal (live copy)", (Predicate<String>) (name -> name.matches("[0-9]+\\.log"))),
      Map.entry("mapdb log (live copy)", (Predicate<String>) (name -> name.matches(".*\\.db\\.log\\.[0-9]+")))));

  @Test
  void damagedFilesNeverYieldAWrongValue() throws Exception {
    Path pristine = work.resolve("pristine");
    Path live = work.resolve("live");
    populate(pristine, live);
    Random random = new Random();
    List<String> summary = new ArrayList<>();
    long wrongTotal = 0;
    for (Map.Entry<String, Predicate<String>> kind : KINDS.entrySet()) {
      Path source = kind.getKey().contains("live copy") ? live : pristine;
      List<Path> candidates = files(source, kind.getValue());
      assertThat(candidates).as("files of kind %s", kind.getKey()).isNotEmpty();
      int refused = 0;
      int misses = 0;
      int intact = 0;
      int wrong = 0;
      for (int trial = 0; trial < FLIP_TRIALS + TRUNCATE_TRIALS; trial++) {
        Path copy = work.resolve(kind.getKey().replace(' ', '-') + "-" + trial);
        copyTree(source, copy);
        Path victim = copy.resolve(source.relativize(candidates.get(random.nextInt(candidates.size()))));
        if (trial < FLIP_TRIALS) {
          flip(victim, random);
        } else {
          truncate(victim, random);
        }
        Outcome outcome = readAll(copy);
        if (outcome.refusal != null) {
          refused++;
          System.out.println("DamageTest refusal (" + kind.getKey() + "): " + outcome.refusal);
          assertThat(outcome.refusal).as("the refusal names what is damaged (%s)", victim)
              .containsAnyOf(victim.getFileName().toString(), copy.toString());
        }
        misses += outcome.misses;
        intact += outcome.intact;
        wrong += outcome.wrong.size();
        assertThat(outcome.wrong).as("%s, trial %d (%s): wrong values", kind.getKey(), trial, victim).isEmpty();
        deleteTree(copy);
      }
      wrongTotal += wrong;
      summary.add(String.format("%-24s %d trials: %d refused to start, %d reads intact, %d misses, %d wrong",
          kind.getKey(), FLIP_TRIALS + TRUNCATE_TRIALS, refused, intact, misses, wrong));
    }
    System.out.println("DamageTest:\n  " + String.join("\n  ", summary));
    assertThat(wrongTotal).isZero();
  }

  /** A value class of the application's, so that the class registry is part of what can be damaged. */
  public static final class Payload implements java.io.Serializable {
    final String text;

    Payload(String text) {
      this.text = text;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Payload && ((Payload) o).text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  private static final class Outcome {
    String refusal;
    int misses;
    int intact;
    final List<String> wrong = new ArrayList<>();
  }

  private Outcome readAll(Path directory) throws IOException {
    Outcome outcome = new Outcome();
    try (CacheManager manager = manager(directory)) {
      for (String tier : CACHES) {
        Cache<String, Payload> cache;
        try {
          cache = cache(manager, tier, directory);
        } catch (CacheException e) {
          outcome.refusal = e.getMessage();
          continue;
        }
        for (int i = 0; i < ENTRIES; i++) {
          Payload value;
          try {
            value = cache.get("k" + i);
          } catch (CacheException e) {
            outcome.misses++; // an error naming the store is not a wrong value; counted with the misses
            continue;
          }
          if (value == null) {
            outcome.misses++;
          } else if (value.equals(value(i))) {
            outcome.intact++;
          } else {
            outcome.wrong.add(tier + " k" + i + " = " + value.text.substring(0, Math.min(40, value.text.length())));
          }
        }
      }
    }
    return outcome;
  }

  private void populate(Path pristine, Path live) throws Exception {
    try (CacheManager manager = manager(pristine)) {
      for (String tier : CACHES) {
        Cache<String, Payload> cache = cache(manager, tier, pristine);
        for (int i = 0; i < ENTRIES; i++) {
          cache.put("k" + i, value(i));
        }
      }
      // a copy taken while open: RocksDB's records still in its write-ahead log, as after a crash
      copyTree(pristine, live);
    }
    Files.deleteIfExists(live.resolve("tiercache.lock"));
  }

  private static Payload value(int i) {
    return new Payload("value-" + i + "-" + "x".repeat(200 + (i % 50)));
  }

  /** The caches: each disk tier plain, and each encrypted (its data key inside the directory, to be damaged too). */
  private static final List<String> CACHES = List.of("mapdb", "rocksdb", "mapdb-sealed", "rocksdb-sealed");

  private Cache<String, Payload> cache(CacheManager manager, String name, Path directory) throws IOException {
    TierCacheConfiguration.Builder<String, Payload> builder = TierCacheConfiguration.builder(String.class,
        Payload.class).tiers(name.replace("-sealed", "")).allowlist("io.tiercache.damage.*");
    if (name.endsWith("-sealed")) {
      builder.encryption("damage", Map.of("damage", "file:" + masterKey()))
          .tierSetting("encryption.data-keys", directory.resolve("keys").toString());
    }
    return manager.createCache(name, builder.build());
  }

  private Path masterKey() throws IOException {
    Path file = work.resolve("master.key");
    if (!Files.exists(file)) {
      Files.writeString(file, java.util.Base64.getEncoder().encodeToString(new byte[32]));
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    return file;
  }

  private CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:damage-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
  }

  private static void flip(Path file, Random random) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long length = raf.length();
      if (length == 0) {
        return;
      }
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        long position = (long) (random.nextDouble() * length);
        raf.seek(position);
        int b = raf.read();
        raf.seek(position);
        raf.write(b ^ (1 << random.nextInt(8)));
      }
    }
  }

  private static void truncate(Path file, Random random) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength((long) (random.nextDouble() * raf.length()));
    }
  }

  private static List<Path> files(Path root, Predicate<String> kind) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).filter(p -> kind.test(p.getFileName().toString()))
          .filter(p -> sizeOf(p) > 0).sorted().collect(Collectors.toList());
    }
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path));
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else if (!path.getFileName().toString().equals("LOCK")) {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
