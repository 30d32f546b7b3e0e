package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.ChildJvm;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cache in Redis shared by several JVMs, each opening it through the JCache API: atomic read-modify-writes
 * across processes, a near cache that sees other processes' writes, events from other processes, and a
 * process that dies holding a key. The other processes are child JVMs ({@link RedisChild}) on a real server.
 */
class RedisSharingTest {

  @TempDir
  Path directory;

  private static String namespace() {
    return "sharing-" + UUID.randomUUID();
  }

  @Test
  void twoJvmsIncrementingOneCounterLoseNoUpdateAndEachCommitIsWrittenAndHeardOnce() throws Exception {
    int threads = 4;
    int perThread = Integer.getInteger("tiercache.redis.increments", 10_000);
    int expected = 2 * threads * perThread;
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int c = 0; c < 2; c++) {
        children.add(ChildJvm.start(RedisChild.class, "increment", uri, namespace, Integer.toString(threads),
            Integer.toString(perThread), directory.resolve("child" + c).toString(), Integer.toString(expected)));
      }
      for (ChildJvm child : children) {
        child.awaitLine("READY", 60);
      }
      children.forEach(child -> child.send("GO"));
      for (ChildJvm child : children) {
        String line = child.awaitLine("INCREMENTED", 300);
        assertThat(line).isEqualTo("INCREMENTED");
      }
      for (ChildJvm child : children) {
        child.awaitLine("DONE", 60);
      }
    } finally {
      children.forEach(ChildJvm::close);
    }

    try (CacheManager manager = TestCaches.newManager()) {
      Cache<String, Integer> counter = manager.createCache("counter", TierCacheConfiguration
          .builder(String.class, Integer.class).redis(uri).tierSetting("redis.namespace", namespace).build());
      assertThat(counter.get("counter")).isEqualTo(expected);
    }
    List<Integer> written = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      written.addAll(read(directory.resolve("child" + c + ".writer")));
    }
    Collections.sort(written);
    assertThat(written).as("every committed value is written once, by the process that committed it")
        .hasSize(expected).isEqualTo(range(expected));
    for (int c = 0; c < 2; c++) {
      List<Integer> heard = read(directory.resolve("child" + c + ".listener"));
      Collections.sort(heard);
      assertThat(heard).as("child %d's listener hears each of the %d changes once, its own and the other's", c,
          expected).isEqualTo(range(expected));
    }
  }

  private static List<Integer> range(int last) {
    List<Integer> values = new ArrayList<>(last);
    for (int i = 1; i <= last; i++) {
      values.add(i);
    }
    return values;
  }

  private static List<Integer> read(Path file) throws Exception {
    List<Integer> values = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        values.add(Integer.parseInt(line.trim()));
      }
    }
    return values;
  }

  @Test
  void putIfAbsentAndCompareAndReplaceRaceCorrectlyBetweenTwoClients() throws Exception {
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    try (CacheManager first = TestCaches.newManager(); CacheManager second = TestCaches.newManager()) {
      // two managers: two tiers with their own connections and local locks, as two processes would have
      List<Cache<String, Integer>> clients = new ArrayList<>();
      for (CacheManager manager : List.of(first, second)) {
        clients.add(manager.createCache("race", TierCacheConfiguration.builder(String.class, Integer.class)
            .redis(uri).tiers("heap", "redis").tierSetting("redis.namespace", namespace).build()));
      }
      clients.get(0).put("counter", 0);
      int threadsPerClient = 4;
      int increments = 300;
      int keys = 100;
      java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> winners =
          new java.util.concurrent.ConcurrentHashMap<>();
      java.util.concurrent.ConcurrentHashMap<String, Integer> winningValue = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
          2 * threadsPerClient);
      List<java.util.concurrent.Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerClient; t++) {
        Cache<String, Integer> cache = clients.get(t % 2);
        int thread = t;
        work.add(pool.submit(() -> {
          for (int k = 0; k < keys; k++) {
            if (cache.putIfAbsent("p" + k, thread)) {
              winners.computeIfAbsent("p" + k, key -> new java.util.concurrent.atomic.AtomicInteger())
                  .incrementAndGet();
              winningValue.put("p" + k, thread);
            }
          }
          for (int i = 0; i < increments; i++) {
            while (true) {
              Integer current = cache.get("counter");
              if (cache.replace("counter", current, current + 1)) {
                break;
              }
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> future : work) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      for (int k = 0; k < keys; k++) {
        assertThat(winners.get("p" + k)).as("winners of p%d", k).hasValue(1);
        for (Cache<String, Integer> cache : clients) {
          assertThat(cache.get("p" + k)).isEqualTo(winningValue.get("p" + k));
        }
      }
      for (Cache<String, Integer> cache : clients) {
        assertThat(cache.get("counter")).isEqualTo(2 * threadsPerClient * increments);
      }
    }
  }

  @Test
  void theNearCacheSeesAnotherJvmsWritesInOrderAndWithinABoundedDelay() throws Exception {
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    int writes = 1_000;
    try (CacheManager manager = TestCaches.newManager();
        ChildJvm writer = ChildJvm.start(RedisChild.class, "write", uri, namespace, Integer.toString(writes))) {
      Cache<String, String> cache = manager.createCache("coherence", TierCacheConfiguration
          .builder(String.class, String.class).redis(uri).tiers("heap", "redis")
          .tierSetting("redis.namespace", namespace).build());
      writer.awaitLine("READY", 60);
      writer.send("GO");
      List<Long> delays = new ArrayList<>(); // micros from a write to this JVM first reading it
      int last = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (last < writes && System.nanoTime() < deadline) {
        String value = cache.get("k");
        if (value == null) {
          continue;
        }
        int number = Integer.parseInt(value.substring(0, value.indexOf(':')));
        assertThat(number).as("reads of one thread never go back").isGreaterThanOrEqualTo(last);
        if (number > last) {
          java.time.Instant now = java.time.Instant.now();
          long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
          delays.add(nowMicros - Long.parseLong(value.substring(value.indexOf(':') + 1)));
          last = number;
        }
      }
      assertThat(last).as("the last write is seen").isEqualTo(writes);
      Collections.sort(delays);
      long p50 = delays.get(delays.size() / 2);
      long p99 = delays.get(delays.size() * 99 / 100);
      System.out.printf("near cache staleness over %d writes seen: p50 %d us, p99 %d us, max %d us%n",
          delays.size(), p50, p99, delays.get(delays.size() - 1));
      assertThat(p99).as("p99 of the delay before another JVM's write is seen, in micros").isLessThan(1_000_000);
    }
  }

  @Test
  void aJvmKilledWhileHoldingAKeyBlocksItNoLongerThanTheLease() throws Exception {
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    try (CacheManager manager = TestCaches.newManager();
        ChildJvm holder = ChildJvm.start(RedisChild.class, "hold", uri, namespace)) {
      Cache<String, Object> cache = manager.createCache("held", TierCacheConfiguration
          .builder(String.class, Object.class).redis(uri).tierSetting("redis.namespace", namespace).build());
      holder.awaitLine("HOLDING", 60);
      holder.kill();
      long start = System.nanoTime();
      cache.invoke("held", (entry, arguments) -> {
        entry.setValue("mine");
        return null;
      });
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(cache.get("held")).isEqualTo("mine");
      assertThat(waitedMillis).as("waited for the dead holder's lease (redis.lease = 5 s)")
          .isBetween(1_000L, 6_500L);
    }
  }

  /** Collects every event it hears as "TYPE key value old". */
  public static final class CollectingListener implements CacheEntryCreatedListener<String, Object>,
      CacheEntryUpdatedListener<String, Object>, CacheEntryRemovedListener<String, Object>,
      CacheEntryExpiredListener<String, Object>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final BlockingQueue<String> HEARD = new LinkedBlockingQueue<>();

    private static void record(Iterable<CacheEntryEvent<? extends String, ? extends Object>> events) {
      for (CacheEntryEvent<? extends String, ? extends Object> event : events) {
        HEARD.add(event.getEventType() + " " + event.getKey() + " " + event.getValue() + " "
            + (event.isOldValueAvailable() ? event.getOldValue() : "-"));
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Object>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Object>> events) {
      record(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends Object>> events) {
      record(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends Object>> events) {
      record(events);
    }
  }

  @Test
  void anEntryNobodyReadsIsReportedExpiredOnceBySomeProcessWithListeners() throws Exception {
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    CollectingListener.HEARD.clear();
    try (CacheManager listening = TestCaches.newManager(); CacheManager writing = TestCaches.newManager()) {
      listening.createCache("sweep", TierCacheConfiguration.builder(String.class, Object.class).redis(uri)
          .tierSetting("redis.namespace", namespace)
          .listener(new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(CollectingListener.class),
              null, true, false)).build());
      Cache<String, Object> writer = writing.createCache("sweep", TierCacheConfiguration.builder(String.class,
          Object.class).redis(uri).tierSetting("redis.namespace", namespace)
          .expiryPolicy(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(
              new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200))).build());
      writer.put("brief", "gone soon");
      assertThat(CollectingListener.HEARD.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED brief gone soon -");
      String expired = CollectingListener.HEARD.poll(5, TimeUnit.SECONDS);
      assertThat(expired).as("the expiry of an entry nobody read, within 5 s").isEqualTo(
          "EXPIRED brief gone soon gone soon");
      assertThat(CollectingListener.HEARD.poll(2_500, TimeUnit.MILLISECONDS)).as("reported once").isNull();
      assertThat(RedisServer.shared().cli("--scan", "--pattern", "tc:" + namespace + "*e{*")).isBlank();
    }
  }

  @Test
  void listenersHearTheChangesAnotherJvmMakesWithTheirValues() throws Exception {
    String uri = RedisServer.shared().uri();
    String namespace = namespace();
    CollectingListener.HEARD.clear();
    try (CacheManager manager = TestCaches.newManager();
        ChildJvm child = ChildJvm.start(RedisChild.class, "changes", uri, namespace)) {
      manager.createCache("changes", TierCacheConfiguration.builder(String.class, Object.class).redis(uri)
          .tierSetting("redis.namespace", namespace)
          .listener(new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(CollectingListener.class),
              null, true, false)).build());
      child.awaitLine("READY", 60);
      child.send("GO");
      assertThat(child.awaitLine("B ", 60)).isEqualTo("B null");
      List<String> heard = new ArrayList<>();
      while (heard.size() < 5) {
        String event = CollectingListener.HEARD.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("events heard so far: %s", heard).isNotNull();
        heard.add(event);
      }
      // JCache orders events per key; asynchronous listeners may hear different keys interleaved
      assertThat(heard.stream().filter(event -> event.split(" ")[1].equals("a"))).containsExactly(
          "CREATED a one -",
          "UPDATED a two one",
          "REMOVED a two two");
      assertThat(heard.stream().filter(event -> event.split(" ")[1].equals("b"))).containsExactly(
          "CREATED b brief -",
          "EXPIRED b brief brief");
      assertThat(CollectingListener.HEARD.poll(300, TimeUnit.MILLISECONDS)).as("no event twice").isNull();
    }
  }
}
