package io.tiercache.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive strategy through the JCache API on [heap, mapdb, rocksdb]: every entry has its home on disk,
 * chosen by size; entries read often get a copy on the heap (promotion), copies of entries that cooled down
 * are dropped (demotion) within the budget in bytes, and no copy ever outlives a change of its entry.
 */
class AdaptivePlacementTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path directory;

  private CacheManager manager() {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:adaptive-"
        + MANAGERS.incrementAndGet()), AdaptivePlacementTest.class.getClassLoader(), properties);
  }

  private static TierCacheConfiguration.Builder<String, byte[]> adaptive(String budget) {
    return TierCacheConfiguration.builder(String.class, byte[].class).tiers("heap", "mapdb", "rocksdb")
        .strategy("adaptive").strategyOption("heap-budget", budget).strategyOption("bulky-bytes", "64 KiB");
  }

  private static CompositeTier<?> composite(Cache<?, ?> cache) {
    return cache.unwrap(CompositeTier.class);
  }

  private static CacheHealth.TierHealth tier(Cache<?, ?> cache, String name) {
    return cache.unwrap(CacheHealth.class).tiers().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow();
  }

  private static byte[] value(int size, int tag) {
    byte[] value = new byte[size];
    java.util.Arrays.fill(value, (byte) tag);
    return value;
  }

  @Test
  void everyEntryHasItsHomeOnDiskBySizeAndAReadEntryIsServedFromItsHeapCopy() {
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("homes", adaptive("1 MiB").build());
      cache.put("small", value(100, 1));
      cache.put("bulky", value(200_000, 2));
      assertThat(tier(cache, "heap").entries()).isZero();
      assertThat(tier(cache, "mapdb").entries()).isEqualTo(1);
      assertThat(tier(cache, "rocksdb").entries()).isEqualTo(1);

      assertThat(cache.get("small")).isEqualTo(value(100, 1)); // from MapDB, and copied
      long heapHits = tier(cache, "heap").hits();
      long mapdbHits = tier(cache, "mapdb").hits();
      for (int i = 0; i < 10; i++) {
        assertThat(cache.get("small")).isEqualTo(value(100, 1));
      }
      assertThat(tier(cache, "heap").hits()).isEqualTo(heapHits + 10);
      assertThat(tier(cache, "mapdb").hits()).isEqualTo(mapdbHits);
      assertThat(composite(cache).promotions()).isGreaterThanOrEqualTo(1);
      // the copy is a copy: what a caller does to the array it got changes nothing for the next caller
      cache.get("small")[0] = 99;
      assertThat(cache.get("small")).isEqualTo(value(100, 1));
      // bigger than copy-max-bytes (an eighth of 1 MiB): never copied
      for (int i = 0; i < 5; i++) {
        assertThat(cache.get("bulky")).isEqualTo(value(200_000, 2));
      }
      assertThat(tier(cache, "rocksdb").hits()).isGreaterThanOrEqualTo(5);

    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void underAWarmBudgetTheLeastReadEntriesMoveFromMapDbToRocksDbAndTheReadOnesStay() {
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("warm", adaptive("16 KiB")
          .strategyOption("warm-budget", "64 KiB").build());
      for (int k = 0; k < 200; k++) {
        cache.put("k" + k, value(1_000, k));
        for (int h = 0; h < 5 && k % 10 == 0; h++) { // five keys read all along: the warm ones
          cache.get("k" + h);
        }
      }
      CacheHealth.TierHealth mapdb = tier(cache, "mapdb");
      assertThat(mapdb.bytes()).as("MapDB within its warm budget").isLessThanOrEqualTo(64 * 1024);
      assertThat(mapdb.entries() + tier(cache, "rocksdb").entries()).isEqualTo(200);
      assertThat(composite(cache).cooled()).isGreaterThanOrEqualTo(200 - mapdb.entries());
      assertThat(mapdb.demotions()).isEqualTo(composite(cache).cooled());
      for (int h = 0; h < 5; h++) {
        assertThat(((CompositeTier<String>) composite(cache)).tierOf("k" + h))
            .as("k%d, read all along, is still in MapDB", h).isEqualTo(composite(cache).tierNames().indexOf("mapdb"));
      }
      for (int k = 0; k < 200; k++) {
        assertThat(cache.get("k" + k)).isEqualTo(value(1_000, k));
      }
    }
  }

  @Test
  void getAllPromotesWhatItReadsFromDiskAsGetDoes() {
    try (CacheManager manager = manager()) {
      manager.createCache("batch", adaptive("1 MiB").build()).putAll(Map.of("a", value(300, 3), "b",
          value(400, 4)));
    }
    try (CacheManager manager = manager()) { // the same directory, reopened: no copies yet
      Cache<String, byte[]> cache = manager.createCache("batch", adaptive("1 MiB").build());
      assertThat(composite(cache).hotCopies()).isZero();
      assertThat(cache.getAll(java.util.Set.of("a", "b"))).hasSize(2);
      long before = tier(cache, "heap").hits();
      Map<String, byte[]> again = cache.getAll(java.util.Set.of("a", "b"));
      assertThat(again.get("a")).isEqualTo(value(300, 3));
      assertThat(again.get("b")).isEqualTo(value(400, 4));
      assertThat(tier(cache, "heap").hits()).isEqualTo(before + 2);
      // a write after it replaces what the batch copied
      cache.put("a", value(300, 5));
      assertThat(cache.getAll(java.util.Set.of("a")).get("a")).isEqualTo(value(300, 5));
    }
  }

  @Test
  void theCopiesStayWithinTheBudgetAndTheHotOnesWinOverTheColdOnes() {
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("budget", adaptive("64 KiB").build());
      for (int k = 0; k < 400; k++) {
        cache.put("k" + k, value(1_000, k));
      }
      // a hot set of 20 keys read again and again, and a stream of cold keys read once each
      for (int round = 0; round < 50; round++) {
        for (int h = 0; h < 20; h++) {
          assertThat(cache.get("k" + h)).isEqualTo(value(1_000, h));
        }
        for (int c = 0; c < 8; c++) {
          int k = 20 + (round * 8 + c) % 380;
          assertThat(cache.get("k" + k)).isEqualTo(value(1_000, k));
        }
        assertThat(composite(cache).hotCopyBytes()).isLessThanOrEqualTo(64 * 1024);
      }
      CompositeTier<?> composite = composite(cache);
      assertThat(composite.demotions()).as("cold copies dropped").isPositive();
      long before = tier(cache, "heap").hits();
      for (int h = 0; h < 20; h++) {
        cache.get("k" + h);
      }
      assertThat(tier(cache, "heap").hits() - before).as("the hot keys are on the heap").isEqualTo(20);
      // demoted is not evicted: every entry is still in the cache
      for (int k = 0; k < 400; k++) {
        assertThat(cache.get("k" + k)).isEqualTo(value(1_000, k));
      }
      assertThat(tier(cache, "mapdb").entries()).isEqualTo(400);
    }
  }

  @Test
  void noCopyOutlivesAWriteARemovalAnExpiryChangeOrAnEviction() {
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("coherent", adaptive("1 MiB")
          .tierSetting("mapdb.maximum-entries", 50).build());
      cache.put("a", value(10, 1));
      cache.get("a");
      cache.get("a");
      cache.put("a", value(10, 2));
      assertThat(cache.get("a")).isEqualTo(value(10, 2));
      assertThat(cache.getAndReplace("a", value(10, 3))).isEqualTo(value(10, 2));
      assertThat(cache.get("a")).isEqualTo(value(10, 3));
      cache.remove("a");
      assertThat(cache.get("a")).isNull();
      assertThat(cache.containsKey("a")).isFalse();

      // evictions by MapDB's bound take the copies with them
      for (int k = 0; k < 50; k++) {
        cache.put("e" + k, value(10, k));
        cache.get("e" + k);
      }
      for (int k = 50; k < 200; k++) {
        cache.put("e" + k, value(10, k));
      }
      int present = 0;
      for (int k = 0; k < 200; k++) {
        byte[] found = cache.get("e" + k);
        if (found != null) {
          assertThat(found).isEqualTo(value(10, k));
          assertThat(cache.containsKey("e" + k)).isTrue();
          present++;
        }
      }
      assertThat(present).as("what get finds is what the tiers hold").isEqualTo(tier(cache, "mapdb").entries());
      assertThat(present).isLessThanOrEqualTo(50);
    }
  }

  @Test
  void anAccessedExpiryMovesWithTheCopy() {
    io.tiercache.testing.FakeClock clock = new io.tiercache.testing.FakeClock();
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("expiring", adaptive("1 MiB").clock(clock)
          .expiryPolicy(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 3))).build());
      cache.put("a", value(10, 1));
      for (int i = 0; i < 6; i++) {
        clock.advance(java.time.Duration.ofSeconds(2));
        assertThat(cache.get("a")).as("read %d, each within the expiry the one before set", i)
            .isEqualTo(value(10, 1));
      }
      clock.advance(java.time.Duration.ofSeconds(4));
      assertThat(cache.get("a")).isNull();
      assertThat(cache.containsKey("a")).isFalse();
    }
  }

  @Test
  void readersRacingWritersNeverSeeAValueOlderThanOneAlreadySeen() throws Exception {
    int keys = 16;
    int writesPerKey = 2_000;
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("race", adaptive("256 KiB").build());
      for (int k = 0; k < keys; k++) {
        cache.put("k" + k, java.nio.ByteBuffer.allocate(8).putLong(0).array());
      }
      AtomicLongArray written = new AtomicLongArray(keys);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int first = w;
        work.add(pool.submit(() -> {
          for (int n = 1; n <= writesPerKey; n++) {
            for (int k = first; k < keys; k += 2) {
              cache.put("k" + k, java.nio.ByteBuffer.allocate(8).putLong(n).array());
              written.set(k, n);
            }
          }
          return null;
        }));
      }
      Map<String, Long> violations = new ConcurrentHashMap<>();
      for (int r = 0; r < 4; r++) {
        boolean batches = r % 2 == 1; // half the readers read three keys at a time, with getAll
        work.add(pool.submit(() -> {
          long[] seen = new long[keys];
          java.util.Random random = new java.util.Random();
          for (int i = 0; i < 40_000; i++) {
            int k = random.nextInt(keys);
            int other = (k + 1 + random.nextInt(keys - 1)) % keys;
            long floor = written.get(k); // acknowledged before this read began
            long otherFloor = written.get(other);
            if (batches) {
              Map<String, byte[]> both = cache.getAll(java.util.Set.of("k" + k, "k" + other));
              long foundOther = java.nio.ByteBuffer.wrap(both.get("k" + other)).getLong();
              if (foundOther < seen[other] || foundOther < otherFloor) {
                violations.merge("k" + other, 1L, Long::sum);
              }
              seen[other] = Math.max(seen[other], foundOther);
              i++;
            }
            long found = java.nio.ByteBuffer.wrap(batches ? cache.getAll(java.util.Set.of("k" + k)).get("k" + k)
                : cache.get("k" + k)).getLong();
            if (found < seen[k] || found < floor) {
              violations.merge("k" + k, 1L, Long::sum);
            }
            seen[k] = Math.max(seen[k], found);
          }
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(violations).as("keys read older than already seen or acknowledged").isEmpty();
      assertThat(composite(cache).promotions()).isPositive();
      for (int k = 0; k < keys; k++) {
        assertThat(java.nio.ByteBuffer.wrap(cache.get("k" + k)).getLong()).isEqualTo(writesPerKey);
      }
    }
  }

  @Test
  void badOptionsAreNamed() {
    try (CacheManager manager = manager()) {
      assertThatThrownBy(() -> manager.createCache("bad", TierCacheConfiguration.builder(String.class,
          byte[].class).tiers("heap", "mapdb").strategy("adaptive").strategyOption("heap-budget", "lots")
          .build())).hasMessageContaining("heap-budget").hasMessageContaining("KiB, MiB or GiB");
    }
  }

  /**
   * The bar for the heap: over a skewed workload of values from 100 B to 64 KiB, the copies answer at
   * least as many reads as Caffeine bounded to the same bytes would (Caffeine weighs by size but admits by
   * frequency alone; the copies weigh frequency per byte, so small entries are not pushed out by large ones).
   */
  @Test
  void theCopiesAnswerAtLeastAsManyReadsAsCaffeineWithTheSameBudget() {
    java.util.Random random = new java.util.Random(7);
    int keys = 600;
    int[] sizes = new int[keys];
    for (int k = 0; k < keys; k++) { // log-uniform: most values small, most bytes in large ones
      sizes[k] = (int) Math.round(100 * Math.pow(64 * 1024 / 100.0, random.nextDouble()));
    }
    double[] cumulative = new double[keys]; // Zipf(0.99) over the keys, key k of rank k + 1
    double total = 0;
    for (int k = 0; k < keys; k++) {
      total += 1 / Math.pow(k + 1, 0.99);
      cumulative[k] = total;
    }
    int operations = 40_000;
    int[] sequence = new int[operations];
    boolean[] writes = new boolean[operations];
    for (int i = 0; i < operations; i++) {
      int at = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * total);
      sequence[i] = at >= 0 ? at : -at - 1;
      writes[i] = random.nextInt(10) == 0;
    }
    long budget = 256 * 1024;
    com.github.benmanes.caffeine.cache.Cache<Integer, byte[]> caffeine = com.github.benmanes.caffeine.cache.Caffeine
        .newBuilder().maximumWeight(budget).executor(Runnable::run)
        .weigher((Integer key, byte[] value) -> value.length + 64).build();
    long caffeineHits = 0;
    long reads = 0;
    try (CacheManager manager = manager()) {
      Cache<String, byte[]> cache = manager.createCache("ratio", adaptive("256 KiB").build());
      for (int k = 0; k < keys; k++) {
        cache.put("k" + k, value(sizes[k], k));
      }
      long heapHitsBefore = 0;
      for (int i = 0; i < operations; i++) {
        if (i == operations / 2) { // the first half warms both up
          heapHitsBefore = tier(cache, "heap").hits();
          caffeineHits = 0;
          reads = 0;
        }
        int k = sequence[i];
        if (writes[i]) {
          cache.put("k" + k, value(sizes[k], k));
          caffeine.put(k, value(sizes[k], k));
          continue;
        }
        reads++;
        assertThat(cache.get("k" + k)).hasSize(sizes[k]);
        if (caffeine.getIfPresent(k) != null) {
          caffeineHits++;
        } else {
          caffeine.put(k, value(sizes[k], k));
        }
      }
      double copies = (double) (tier(cache, "heap").hits() - heapHitsBefore) / reads;
      double bar = (double) caffeineHits / reads;
      assertThat(copies).as("heap hit ratio of the copies against Caffeine's %.3f", bar).isGreaterThanOrEqualTo(bar);
      assertThat(composite(cache).hotCopyBytes()).isLessThanOrEqualTo(budget);
    }
  }
}
