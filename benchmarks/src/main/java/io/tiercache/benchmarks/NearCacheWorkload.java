package io.tiercache.benchmarks;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.tier.redis.RedisTier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The near cache under a shared workload: this JVM reads keys drawn from a Zipf(0.99) distribution through a
 * {@code [heap, redis]} cache while two other JVMs write to the same cache (Zipf keys too, at a fixed rate
 * each). It reports the reader's throughput, the near cache's hit ratio, and the staleness of the near cache:
 * the delay from a write in another JVM to this JVM reading it, measured on a probe key one writer rewrites
 * every 5 ms with its wall-clock time (same machine, same clock).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.tiercache.benchmarks.NearCacheWorkload REDIS_URI SECONDS
 * WRITES_PER_SECOND_PER_WRITER OUT.md}. Started by {@code benchmarks/run.sh redis}.
 */
public final class NearCacheWorkload {

  private static final int KEYS = 10_000;
  private static final int VALUE_BYTES = 100;

  private NearCacheWorkload() { }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("writer")) {
      writer(args[1], args[2], Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]), Integer.parseInt(args[5]));
      return;
    }
    String uri = args[0];
    int seconds = Integer.parseInt(args[1]);
    int rate = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    String namespace = "zipf-" + System.nanoTime();
    try (CacheManager manager = manager("reader"); CacheManager probing = manager("probe")) {
      Cache<Integer, Object> cache = manager.createCache("zipf", configuration(uri, namespace, true));
      byte[] value = new byte[VALUE_BYTES];
      for (int i = 0; i < KEYS; i++) {
        cache.put(i, value);
      }
      List<Process> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        writers.add(new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), NearCacheWorkload.class.getName(), "writer",
            uri, namespace, Integer.toString(rate), Boolean.toString(w == 0), Integer.toString(seconds + 5))
            .redirectErrorStream(true).start());
      }
      for (Process writer : writers) {
        awaitReady(writer);
      }
      RedisTier<?> tier = cache.unwrap(RedisTier.class);
      long hitsBefore = tier.nearCacheHits();
      long missesBefore = tier.nearCacheMisses();
      List<Long> delays = Collections.synchronizedList(new ArrayList<>());
      // the probe reads through a cache of its own (own tier, near cache and counters), so the hit ratio below
      // is the reader's alone
      Cache<Integer, Object> probeCache = probing.createCache("zipf", configuration(uri, namespace, true));
      Thread probe = new Thread(() -> probe(probeCache, seconds, delays));
      probe.start();
      int[] sequence = Sequences.zipf(KEYS, 1 << 20, 0.99);
      long reads = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        for (int i = 0; i < 1024; i++) {
          cache.get(sequence[(int) (reads++ & ((1 << 20) - 1))]);
        }
      }
      probe.join();
      long hits = tier.nearCacheHits() - hitsBefore;
      long misses = tier.nearCacheMisses() - missesBefore;
      for (Process writer : writers) {
        writer.waitFor(30, TimeUnit.SECONDS);
        writer.destroyForcibly();
      }
      List<Long> sorted = new ArrayList<>(delays);
      Collections.sort(sorted);
      String report = String.format(Locale.ROOT, "# Near cache under a Zipf workload%n%n"
          + "One JVM reads Zipf(0.99) keys (%d keys, %d-byte values) through `[heap, redis]` for %d s, one thread;"
          + " two other JVMs each write %d Zipf keys per second to the same cache, one of them also a probe key every"
          + " 5 ms, which a second cache of the reading JVM reads every ~20 µs to time how long the near cache"
          + " serves the old value. Loopback, one Redis 7.0, all on 2 cores.%n%n"
          + "| reads/s | near-cache hit ratio | staleness p50 | p99 | max | probe writes seen |%n"
          + "|---|---|---|---|---|---|%n| %,.0f | %.3f | %s | %s | %s | %d |%n",
          KEYS, VALUE_BYTES, seconds, rate, reads / (double) seconds, hits / (double) Math.max(1, hits + misses),
          micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 1.0), sorted.size());
      System.out.print(report);
      Files.writeString(out, report);
    }
    System.exit(0);
  }

  private static String micros(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return "-";
    }
    long value = sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile)));
    return value >= 1000 ? String.format(Locale.ROOT, "%.1f ms", value / 1000.0) : value + " µs";
  }

  /** Reads the probe key and records, for each new value, how long after its write it was first read. */
  private static void probe(Cache<Integer, Object> cache, int seconds, List<Long> delays) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long last = 0;
    while (System.nanoTime() < end) {
      Object value = cache.get(-1);
      if (value instanceof Long && (Long) value != last) {
        last = (Long) value;
        delays.add(nowMicros() - last);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000); // a read every ~20 µs: precise enough, cheap
    }
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private static void awaitReady(Process writer) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("READY")) {
        return;
      }
      System.out.println("writer: " + line);
    }
    throw new IllegalStateException("a writer JVM ended before it was ready");
  }

  private static void writer(String uri, String namespace, int rate, boolean probe, int seconds) throws Exception {
    try (CacheManager manager = manager("writer")) {
      Cache<Integer, Object> cache = manager.createCache("zipf", configuration(uri, namespace, false));
      int[] sequence = Sequences.zipf(KEYS, 1 << 16, 0.99);
      byte[] value = new byte[VALUE_BYTES];
      System.out.println("READY");
      System.out.flush();
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
      long next = System.nanoTime();
      long nextProbe = next;
      long end = next + TimeUnit.SECONDS.toNanos(seconds);
      int i = 0;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (probe && now >= nextProbe) {
          cache.put(-1, nowMicros());
          nextProbe = now + TimeUnit.MILLISECONDS.toNanos(5);
        }
        if (now >= next) {
          cache.put(sequence[i++ & ((1 << 16) - 1)], value);
          next += periodNanos;
        } else {
          java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next, nextProbe) - now);
        }
      }
    }
  }

  private static CacheManager manager(String role) {
    return Caching.getCachingProvider("io.tiercache.spi.TierCachingProvider").getCacheManager(
        URI.create("tiercache:zipf-" + role + "-" + ProcessHandle.current().pid()),
        NearCacheWorkload.class.getClassLoader());
  }

  private static TierCacheConfiguration<Integer, Object> configuration(String uri, String namespace, boolean near) {
    TierCacheConfiguration.Builder<Integer, Object> builder = TierCacheConfiguration.builder(Integer.class,
        Object.class).redis(uri).tierSetting("redis.namespace", namespace).tierSetting("redis.events", false)
        .heapMaximumSize(KEYS * 2L);
    if (near) {
      builder.tiers("heap", "redis");
    }
    return builder.build();
  }
}
