package io.tiercache.crash;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The process {@link DefaultLayoutCrashTest} kills: through the JCache API, with default settings, it writes and
 * removes without end on three caches, one per default persistent layout, printing {@code W cache key n} before
 * each change and {@code A cache key n} once it returned ({@code n = -1} for a removal). A value is its number
 * {@code n} followed by padding whose length the composite's size strategy routes by: {@code n % 3} picks the
 * heap, MapDB or RocksDB.
 */
public final class DefaultLayoutCrashChild {

  /** The caches and their tiers, all else default. */
  static final Map<String, List<String>> LAYOUTS = new LinkedHashMap<>();

  static {
    LAYOUTS.put("mapdb", List.of("mapdb"));
    LAYOUTS.put("rocksdb", List.of("rocksdb"));
    LAYOUTS.put("composite", List.of("heap", "mapdb", "rocksdb"));
    // the composite again, every record on disk encrypted and every key hashed
    LAYOUTS.put("encrypted", List.of("heap", "mapdb", "rocksdb"));
    // the composite under the adaptive strategy: every entry has a home on disk, the heap holds copies
    LAYOUTS.put("adaptive", List.of("heap", "mapdb", "rocksdb"));
  }

  static final int KEYS = 16;

  private DefaultLayoutCrashChild() { }

  /** Opens the manager every run of the test, child or parent, uses on {@code directory}. */
  static CacheManager manager(String directory, String uri) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory);
    return Caching.getCachingProvider().getCacheManager(URI.create(uri),
        DefaultLayoutCrashChild.class.getClassLoader(), properties);
  }

  static Cache<String, String> open(CacheManager manager, String name, String directory) {
    TierCacheConfiguration.Builder<String, String> builder = TierCacheConfiguration.builder(String.class,
        String.class).tiers(LAYOUTS.get(name).toArray(new String[0]));
    if (name.equals("encrypted")) {
      builder.encryption("crash", Map.of("crash", "file:" + keyFile(directory))).hashKeys(true);
    }
    if (name.equals("adaptive")) {
      // a MapDB budget well below what the keys of its size class take: kills land in moves down to RocksDB
      builder.strategy("adaptive").strategyOption("heap-budget", "4 MiB").strategyOption("warm-budget", "16 KiB");
    }
    return manager.createCache(name, builder.build());
  }

  /** The master key of the encrypted layout, beside the directory: made by whichever process comes first. */
  private static java.nio.file.Path keyFile(String directory) {
    java.nio.file.Path file = java.nio.file.Path.of(directory + ".master-key");
    try {
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Path partial = java.nio.file.Files.createTempFile(file.toAbsolutePath().getParent(), "key",
            ".part", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.nio.file.Files.writeString(partial, java.util.Base64.getEncoder().encodeToString(new byte[32]));
        try {
          java.nio.file.Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException taken) {
          java.nio.file.Files.deleteIfExists(partial);
        }
      }
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The value written as number {@code n} to cache {@code name}. */
  static String value(String name, long n) {
    int size;
    if (name.equals("composite") || name.equals("encrypted") || name.equals("adaptive")) {
      size = n % 3 == 0 ? 100 : n % 3 == 1 ? 6_000 : 300_000; // heap, MapDB, RocksDB under the size strategy
    } else {
      size = 1_000;
    }
    StringBuilder value = new StringBuilder(size + 20).append(n).append(':');
    while (value.length() < size) {
      value.append((char) ('a' + (value.length() % 26)));
    }
    return value.toString();
  }

  /** The number a stored value was written as. */
  static long numberOf(String value) {
    return Long.parseLong(value.substring(0, value.indexOf(':')));
  }

  public static void main(String[] args) {
    long n = Long.parseLong(args[1]);
    CacheManager manager = manager(args[0], "tiercache:crash-child");
    Map<String, Cache<String, String>> caches = new LinkedHashMap<>();
    for (String name : LAYOUTS.keySet()) {
      caches.put(name, open(manager, name, args[0]));
    }
    System.out.println("READY");
    System.out.flush();
    Random random = new Random();
    while (true) {
      for (Map.Entry<String, Cache<String, String>> named : caches.entrySet()) {
        String key = "k" + random.nextInt(KEYS);
        n++;
        boolean remove = random.nextInt(10) == 0;
        long written = remove ? -1 : n;
        System.out.println("W " + named.getKey() + " " + key + " " + written);
        if (remove) {
          named.getValue().remove(key);
        } else {
          named.getValue().put(key, value(named.getKey(), n));
        }
        System.out.println("A " + named.getKey() + " " + key + " " + written);
        named.getValue().get("k" + random.nextInt(KEYS)); // reads too: under adaptive they make heap copies
      }
    }
  }
}
