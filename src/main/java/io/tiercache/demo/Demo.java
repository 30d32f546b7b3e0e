package io.tiercache.demo;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import io.tiercache.management.CacheStatistics;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * The README's demo. It finds tiercache through the standard {@code Caching.getCachingProvider()} and caches
 * a mix of small product objects, medium documents and large blobs in one composite cache. The size strategy
 * routes them to the heap, MapDB and RocksDB. The demo then reads a skewed workload and prints a per-tier
 * table. Disk tiers persist under the per-user directory, so a second run finds the documents and blobs of the
 * first, and says so.
 */
public final class Demo {

  private static final int PRODUCTS = 5_000;
  private static final int DOCUMENTS = 300;
  private static final int BLOBS = 24;

  private Demo() { }

  /**
   * Runs the demo in the per-user directory.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(null);
  }

  /**
   * Runs the demo (the command line's {@code demo}).
   *
   * @param directory where the disk tiers live, or null for the per-user directory of {@code tiercache:demo}
   */
  public static void run(java.nio.file.Path directory) {
    CachingProvider provider = Caching.getCachingProvider();
    System.out.println("JCache provider: " + provider.getClass().getName());
    java.util.Properties properties = new java.util.Properties();
    if (directory != null) {
      properties.setProperty(io.tiercache.TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    }
    try (CacheManager manager = provider.getCacheManager(URI.create("tiercache:demo"), Demo.class.getClassLoader(),
        properties)) {
      Cache<String, Object> catalog = manager.createCache("catalog",
          TierCacheConfiguration.builder(String.class, Object.class)
              .tiers("heap", "mapdb", "rocksdb")   // strategy: size (heap <= 4 KiB < mapdb <= 256 KiB < rocksdb)
              .allowlist(Product.class.getName())
              .statistics(true)
              .build());

      int[] found = countFromPreviousRun(catalog);
      System.out.printf(Locale.ROOT, "Found from a previous run: %d of %d documents, %d of %d blobs "
          + "(products live on the heap and start afresh)%n", found[0], DOCUMENTS, found[1], BLOBS);

      long start = System.nanoTime();
      load(catalog);
      long loadMillis = (System.nanoTime() - start) / 1_000_000;

      Random random = new Random(7);
      start = System.nanoTime();
      int reads = 50_000;
      for (int i = 0; i < reads; i++) {
        double pick = random.nextDouble();
        String key = pick < 0.90 ? "product-" + skewed(random, PRODUCTS)
            : pick < 0.99 ? "document-" + skewed(random, DOCUMENTS) : "blob-" + skewed(random, BLOBS);
        if (catalog.get(key) == null) {
          throw new IllegalStateException("demo entry " + key + " is missing");
        }
      }
      for (int i = 0; i < 1_000; i++) {
        catalog.get("absent-" + i); // misses cost a probe per tier, never a value read
      }
      long readMillis = (System.nanoTime() - start) / 1_000_000;

      System.out.printf(Locale.ROOT, "Stored %d entries in %d ms; %d reads and 1000 misses in %d ms%n%n",
          PRODUCTS + DOCUMENTS + BLOBS, loadMillis, reads, readMillis);
      printTiers(catalog);
    }
    System.out.println("\nRun it again: the documents and blobs come back from disk.");
  }

  private static int[] countFromPreviousRun(Cache<String, Object> catalog) {
    int documents = 0;
    int blobs = 0;
    for (int i = 0; i < DOCUMENTS; i++) {
      documents += catalog.containsKey("document-" + i) ? 1 : 0;
    }
    for (int i = 0; i < BLOBS; i++) {
      blobs += catalog.containsKey("blob-" + i) ? 1 : 0;
    }
    return new int[] {documents, blobs};
  }

  private static void load(Cache<String, Object> catalog) {
    for (int i = 0; i < PRODUCTS; i++) {
      catalog.put("product-" + i, new Product("SKU-" + i, "Product " + i, 199 + i, List.of("tag" + (i % 10))));
    }
    for (int i = 0; i < DOCUMENTS; i++) {
      if (!catalog.containsKey("document-" + i)) {
        catalog.put("document-" + i, ("Document " + i + ": lorem ipsum dolor sit amet. ").repeat(700));
      }
    }
    for (int i = 0; i < BLOBS; i++) {
      if (!catalog.containsKey("blob-" + i)) {
        byte[] blob = new byte[1 << 20];
        new Random(i).nextBytes(blob);
        catalog.put("blob-" + i, blob);
      }
    }
  }

  private static int skewed(Random random, int bound) {
    return (int) Math.floor(Math.pow(random.nextDouble(), 3) * bound);
  }

  private static void printTiers(Cache<String, Object> catalog) {
    CacheHealth health = catalog.unwrap(CacheHealth.class);
    CacheStatistics statistics = catalog.unwrap(CacheStatistics.class);
    System.out.println("Health: " + health.status());
    System.out.printf(Locale.ROOT, "%-8s %-8s %9s %12s %9s %9s%n", "tier", "state", "entries", "bytes", "hits",
        "misses");
    for (CacheHealth.TierHealth tier : health.tiers()) {
      System.out.printf(Locale.ROOT, "%-8s %-8s %9d %12s %9d %9d%n", tier.name(),
          tier.running() ? "running" : "DOWN", tier.entries(),
          tier.bytes() < 0 ? "(objects)" : String.valueOf(tier.bytes()), tier.hits(), tier.misses());
      if (tier.problem() != null) {
        System.out.println("  " + tier.problem());
      }
    }
    System.out.printf(Locale.ROOT, "%-8s %-8s %9s %12s %9d %9d%n", "cache", "", "", "", statistics.getCacheHits(),
        statistics.getCacheMisses());
    System.out.println("(a tier's misses are the lookups that reached it and went on to the next tier)");
  }
}
