package io.tiercache.demo;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheStatistics;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.spi.CachingProvider;

/**
 * The README's demo: finds tiercache through the standard {@code Caching.getCachingProvider()}, caches a real
 * computation (the number of primes below n, by trial division of big integers) through a read-through
 * loader, and prints the time saved and the cache's statistics.
 */
public final class Demo {

  private Demo() { }

  /** Counts primes below n the slow way: the "expensive call" whose results are worth caching. */
  public static final class PrimeCounter implements CacheLoader<Integer, Integer>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer load(Integer n) {
      int count = 0;
      for (int i = 2; i < n; i++) {
        if (BigInteger.valueOf(i).isProbablePrime(30)) {
          count++;
        }
      }
      return count;
    }

    @Override
    public java.util.Map<Integer, Integer> loadAll(Iterable<? extends Integer> keys) {
      java.util.Map<Integer, Integer> result = new java.util.HashMap<>();
      for (Integer key : keys) {
        result.put(key, load(key));
      }
      return result;
    }
  }

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    CachingProvider provider = Caching.getCachingProvider();
    System.out.println("JCache provider: " + provider.getClass().getName());
    try (CacheManager manager = provider.getCacheManager()) {
      Cache<Integer, Integer> primes = manager.createCache("prime-counts",
          TierCacheConfiguration.builder(Integer.class, Integer.class)
              .heapMaximumSize(1_000)
              .expiryPolicy(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
              .readThrough(FactoryBuilder.factoryOf(PrimeCounter.class))
              .statistics(true)
              .build());

      Random random = new Random(42);
      int requests = 400;
      long start = System.nanoTime();
      long checksum = 0;
      for (int i = 0; i < requests; i++) {
        // a skewed workload: most requests ask for a few popular inputs
        int n = 20_000 + 1_000 * (int) Math.floor(Math.pow(random.nextDouble(), 3) * 40);
        checksum += primes.get(n);
      }
      long cachedMillis = (System.nanoTime() - start) / 1_000_000;

      CacheStatistics statistics = primes.unwrap(CacheStatistics.class);
      long computations = statistics.getCacheMisses();
      start = System.nanoTime();
      new PrimeCounter().load(40_000);
      long oneComputationMicros = (System.nanoTime() - start) / 1_000;

      System.out.printf(Locale.ROOT, "%d requests answered in %d ms (checksum %d)%n", requests, cachedMillis,
          checksum);
      System.out.printf(Locale.ROOT, "computations run: %d; without a cache: %d (one takes ~%d us)%n",
          computations, requests, oneComputationMicros);
      System.out.printf(Locale.ROOT, "%-14s %10s%n", "statistic", "value");
      System.out.printf(Locale.ROOT, "%-14s %10d%n", "gets", statistics.getCacheGets());
      System.out.printf(Locale.ROOT, "%-14s %10d%n", "hits", statistics.getCacheHits());
      System.out.printf(Locale.ROOT, "%-14s %10d%n", "misses", statistics.getCacheMisses());
      System.out.printf(Locale.ROOT, "%-14s %9.1f%%%n", "hit ratio", statistics.getCacheHitPercentage());
      System.out.printf(Locale.ROOT, "%-14s %8.1fus%n", "avg get", statistics.getAverageGetTime());
    }
  }
}
