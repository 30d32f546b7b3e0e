package io.tiercache.redis;

import io.tiercache.configuration.TierCacheConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheWriter;

/**
 * The other process of the Redis tests: a JVM that opens the same cache through the JCache API and works on
 * it as the parent test tells it. Modes:
 *
 * <ul>
 *   <li>{@code increment URI NAMESPACE THREADS COUNT OUT}: after {@code GO} on standard input, THREADS threads
 *       each invoke an incrementing entry processor COUNT times on key {@code counter}; then writes the values
 *       its writer saw and, once it heard {@code EXPECTED} (the last argument) distinct values or 30 s passed,
 *       the values its listener heard, to OUT.writer and OUT.listener.</li>
 *   <li>{@code write URI NAMESPACE COUNT}: after {@code GO}, puts {@code i:<epoch micros>} under key {@code k}
 *       for i = 1..COUNT, one every 2 ms.</li>
 *   <li>{@code hold URI NAMESPACE}: invokes an entry processor on key {@code held} that never returns.</li>
 *   <li>{@code changes URI NAMESPACE}: after {@code GO}, creates, updates and removes key {@code a}, then
 *       writes {@code b} (which lives 300 ms), waits 600 ms and reads it, so that it expires.</li>
 *   <li>{@code roundtrip URI NAMESPACE}: writes a key and prints what it reads back ({@code READ value}).</li>
 * </ul>
 */
public final class RedisChild {

  private RedisChild() { }

  /** Written values, recorded by the writer of the increment mode. */
  static final Collection<Integer> WRITTEN = new ConcurrentHashMap<Integer, Boolean>().keySet(true);

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String uri = args[1];
    String namespace = args[2];
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create("tiercache:child-"
        + ProcessHandle.current().pid()), RedisChild.class.getClassLoader())) {
      switch (mode) {
        case "increment":
          increment(manager, uri, namespace, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]),
              Integer.parseInt(args[6]));
          break;
        case "write":
          write(open(manager, "coherence", uri, namespace, null), Integer.parseInt(args[3]));
          break;
        case "hold":
          hold(open(manager, "held", uri, namespace, null));
          break;
        case "changes":
          changes(manager, uri, namespace);
          break;
        case "roundtrip":
          Cache<String, Object> cache = open(manager, "roundtrip", uri, namespace, null);
          cache.put("k", "over the wire");
          System.out.println("READ " + cache.get("k"));
          break;
        default:
          throw new IllegalArgumentException(mode);
      }
    }
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }

  static <V> Cache<String, V> open(CacheManager manager, String name, String uri, String namespace,
      TierCacheConfiguration.Builder<String, V> builder) {
    @SuppressWarnings("unchecked")
    TierCacheConfiguration.Builder<String, V> chosen = builder != null ? builder
        : (TierCacheConfiguration.Builder<String, V>) (Object) TierCacheConfiguration.builder(String.class,
            Object.class);
    return manager.createCache(name, chosen.redis(uri).tierSetting("redis.namespace", namespace).build());
  }

  private static void awaitGo() throws Exception {
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("GO")) {
      // wait
    }
  }

  /** Records every value written through, so the test can check each commit was written exactly once. */
  public static final class RecordingWriter implements CacheWriter<String, Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    static final List<Integer> SEEN = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void write(Cache.Entry<? extends String, ? extends Integer> entry) {
      SEEN.add(entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends Integer>> entries) {
      entries.forEach(this::write);
    }

    @Override
    public void delete(Object key) { }

    @Override
    public void deleteAll(Collection<?> keys) { }
  }

  /** Records every value a created or updated event carries. */
  public static final class RecordingListener implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    static final Set<Integer> HEARD = ConcurrentHashMap.newKeySet();
    static final List<Integer> ALL = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(event -> record(event.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(event -> record(event.getValue()));
    }

    private static void record(Integer value) {
      HEARD.add(value);
      ALL.add(value);
    }
  }

  private static void increment(CacheManager manager, String uri, String namespace, int threads, int count,
      Path out, int expected) throws Exception {
    TierCacheConfiguration.Builder<String, Integer> builder = TierCacheConfiguration.builder(String.class,
        Integer.class).writeThrough(FactoryBuilder.factoryOf(RecordingWriter.class))
        .listener(new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(RecordingListener.class),
            null, false, true));
    Cache<String, Integer> cache = open(manager, "counter", uri, namespace, builder);
    awaitGo();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          for (int i = 0; i < count; i++) {
            cache.invoke("counter", (entry, arguments) -> {
              Integer value = entry.getValue();
              entry.setValue(value == null ? 1 : value + 1);
              return null;
            });
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      failures.get(0).printStackTrace(System.out);
      System.out.println("FAILED " + failures.get(0));
    }
    System.out.println("INCREMENTED");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (RecordingListener.HEARD.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200); // late duplicates, if any, would arrive now
    Files.writeString(Path.of(out + ".writer"), join(RecordingWriter.SEEN));
    Files.writeString(Path.of(out + ".listener"), join(RecordingListener.ALL));
  }

  private static String join(List<Integer> values) {
    StringBuilder text = new StringBuilder();
    synchronized (values) {
      for (Integer value : values) {
        text.append(value).append('\n');
      }
    }
    return text.toString();
  }

  private static void write(Cache<String, Object> cache, int count) throws Exception {
    awaitGo();
    for (int i = 1; i <= count; i++) {
      Instant now = Instant.now();
      cache.put("k", i + ":" + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
      Thread.sleep(2);
    }
  }

  private static void hold(Cache<String, Object> cache) {
    cache.invoke("held", (entry, arguments) -> {
      System.out.println("HOLDING");
      System.out.flush();
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          return null;
        }
      }
    });
  }

  private static void changes(CacheManager manager, String uri, String namespace) throws Exception {
    TierCacheConfiguration.Builder<String, Object> shortLived = TierCacheConfiguration.builder(String.class,
        Object.class).expiryPolicy(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 300)));
    Cache<String, Object> cache = open(manager, "changes", uri, namespace, shortLived);
    awaitGo();
    cache.put("a", "one");
    cache.put("a", "two");
    cache.remove("a");
    cache.put("b", "brief");
    Thread.sleep(600);
    System.out.println("B " + cache.get("b"));
  }

  /** Sorted distinct values, for messages. */
  static Set<Integer> sorted(Collection<Integer> values) {
    return new TreeSet<>(values);
  }
}
