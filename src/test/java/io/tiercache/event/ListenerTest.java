package io.tiercache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.TestCaches;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listener delivery: per-key order under concurrency, synchronous semantics, failures, filters. */
class ListenerTest {

  private final CacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  /** Records every event per key, in delivery order. Static state: listeners are created by factories. */
  static final class Recorder implements CacheEntryCreatedListener<Integer, Integer>,
      CacheEntryUpdatedListener<Integer, Integer>, CacheEntryRemovedListener<Integer, Integer>, Serializable {
    static final Map<Integer, List<String>> EVENTS = new ConcurrentHashMap<>();
    static final AtomicInteger COUNT = new AtomicInteger();

    static void reset() {
      EVENTS.clear();
      COUNT.set(0);
    }

    private void record(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      for (CacheEntryEvent<? extends Integer, ? extends Integer> event : events) {
        // a little jitter makes reordering visible if delivery were not chained per key
        if (ThreadLocalRandomHolder.nextBoolean()) {
          Thread.yield();
        }
        EVENTS.computeIfAbsent(event.getKey(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
            .add(event.getEventType() + ":" + event.getValue());
        COUNT.incrementAndGet();
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }
  }

  static final class ThreadLocalRandomHolder {
    static boolean nextBoolean() {
      return java.util.concurrent.ThreadLocalRandom.current().nextBoolean();
    }
  }

  private Cache<Integer, Integer> cacheWithRecorder(boolean synchronous) {
    Recorder.reset();
    return manager.createCache("listened", TierCacheConfiguration.builder(Integer.class, Integer.class)
        .listener(new MutableCacheEntryListenerConfiguration<>(
            Recorder::new, null, true, synchronous))
        .build());
  }

  @Test
  void asynchronousEventsOfOneKeyArriveInTheOrderTheCacheAppliedThem() throws Exception {
    Cache<Integer, Integer> cache = cacheWithRecorder(false);
    int keys = 8;
    int increments = 320; // a multiple of keys, so every key gets the same number of updates
    cache.putAll(java.util.stream.IntStream.range(0, keys).boxed()
        .collect(java.util.stream.Collectors.toMap(k -> k, k -> 0)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int thread = 0; thread < 4; thread++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < increments; i++) {
          int key = i % keys;
          // an atomic increment: the value sequence of each key is exactly the order of its updates
          cache.invoke(key, (entry, args) -> {
            entry.setValue(entry.getValue() + 1);
            return null;
          });
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int expectedEvents = keys + 4 * increments;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Recorder.COUNT.get() < expectedEvents && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Recorder.COUNT.get()).isEqualTo(expectedEvents);
    for (int key = 0; key < keys; key++) {
      List<String> events = Recorder.EVENTS.get(key);
      int updates = 4 * increments / keys;
      List<String> expected = new ArrayList<>();
      expected.add("CREATED:0");
      for (int value = 1; value <= updates; value++) {
        expected.add("UPDATED:" + value);
      }
      assertThat(events).as("events of key %d", key).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aSynchronousListenerHasSeenTheEventWhenTheCallReturns() {
    Cache<Integer, Integer> cache = cacheWithRecorder(true);
    for (int i = 0; i < 200; i++) {
      cache.put(i, i);
      assertThat(Recorder.EVENTS.get(i)).containsExactly("CREATED:" + i);
      cache.remove(i);
      assertThat(Recorder.EVENTS.get(i)).containsExactly("CREATED:" + i, "REMOVED:" + i);
    }
  }

  /** Fails on every event. */
  static final class Failing implements CacheEntryCreatedListener<Integer, Integer>, Serializable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      throw new IllegalStateException("listener failed on purpose");
    }
  }

  @Test
  void aSynchronousListenerFailureReachesTheCallerAndTheWriteStands() {
    Cache<Integer, Integer> cache = manager.createCache("failing",
        TierCacheConfiguration.builder(Integer.class, Integer.class)
            .listener(new MutableCacheEntryListenerConfiguration<>(
                Failing::new, null, false, true))
            .build());
    assertThatThrownBy(() -> cache.put(1, 1))
        .isInstanceOf(CacheEntryListenerException.class)
        .hasRootCauseMessage("listener failed on purpose");
    assertThat(cache.get(1)).isEqualTo(1);
    // the failure was reported once; the next operation is not haunted by it
    assertThat(cache.get(1)).isEqualTo(1);
  }

  @Test
  void anAsynchronousListenerFailureNeverReachesTheCaller() {
    Cache<Integer, Integer> cache = manager.createCache("failing-async",
        TierCacheConfiguration.builder(Integer.class, Integer.class)
            .listener(new MutableCacheEntryListenerConfiguration<>(
                Failing::new, null, false, false))
            .build());
    for (int i = 0; i < 50; i++) {
      cache.put(i, i);
    }
    assertThat(cache.get(49)).isEqualTo(49);
  }

  /** Passes only events of even keys. */
  static final class EvenKeys implements javax.cache.event.CacheEntryEventFilter<Integer, Integer>, Serializable {
    @Override
    public boolean evaluate(CacheEntryEvent<? extends Integer, ? extends Integer> event) {
      return event.getKey() % 2 == 0;
    }
  }

  @Test
  void filtersSeeEveryEventAndListenersOnlyThoseThatPass() {
    Recorder.reset();
    Cache<Integer, Integer> cache = manager.createCache("filtered",
        TierCacheConfiguration.builder(Integer.class, Integer.class)
            .listener(new MutableCacheEntryListenerConfiguration<>(
                Recorder::new, EvenKeys::new, false, true))
            .build());
    for (int i = 0; i < 10; i++) {
      cache.put(i, i);
    }
    assertThat(Recorder.EVENTS.keySet()).containsExactlyInAnyOrder(0, 2, 4, 6, 8);
  }

  @Test
  void oldValuesAreDeliveredOnlyWhenRequested() {
    List<CacheEntryEvent<? extends Integer, ? extends Integer>> withOld = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CacheEntryEvent<? extends Integer, ? extends Integer>> withoutOld = new java.util.concurrent.CopyOnWriteArrayList<>();
    Cache<Integer, Integer> cache = manager.createCache("old-values",
        TierCacheConfiguration.builder(Integer.class, Integer.class).build());
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        () -> (CacheEntryUpdatedListener<Integer, Integer>) events -> events.forEach(withOld::add), null, true, true));
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        () -> (CacheEntryUpdatedListener<Integer, Integer>) events -> events.forEach(withoutOld::add), null, false, true));
    cache.put(1, 10);
    cache.put(1, 11);
    assertThat(withOld).singleElement().satisfies(event -> {
      assertThat(event.getEventType()).isEqualTo(EventType.UPDATED);
      assertThat(event.isOldValueAvailable()).isTrue();
      assertThat(event.getOldValue()).isEqualTo(10);
      assertThat(event.getValue()).isEqualTo(11);
    });
    assertThat(withoutOld).singleElement().satisfies(event -> {
      assertThat(event.isOldValueAvailable()).isFalse();
      assertThat(event.getOldValue()).isNull();
      assertThat(event.getValue()).isEqualTo(11);
    });
  }

  @Test
  void aSynchronousListenerMayWriteToItsOwnCacheEvenTheSameKey() {
    Cache<Integer, Integer> cache = manager.createCache("reentrant",
        TierCacheConfiguration.builder(Integer.class, Integer.class).build());
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        () -> (CacheEntryCreatedListener<Integer, Integer>) events -> events.forEach(event -> {
          // normalise the value just written: an UPDATED event of the same registration follows
          cache.put(event.getKey(), event.getValue() * 10);
        }), null, false, true));
    java.util.concurrent.CompletableFuture<Void> put =
        java.util.concurrent.CompletableFuture.runAsync(() -> cache.put(1, 1));
    assertThat(put).succeedsWithin(java.time.Duration.ofSeconds(20));
    assertThat(cache.get(1)).isEqualTo(10);
  }

  @Test
  void aListenerMayDeregisterItselfWithoutHangingTheCache() {
    Cache<Integer, Integer> cache = manager.createCache("one-shot",
        TierCacheConfiguration.builder(Integer.class, Integer.class).build());
    AtomicInteger calls = new AtomicInteger();
    @SuppressWarnings("unchecked")
    MutableCacheEntryListenerConfiguration<Integer, Integer>[] self = new MutableCacheEntryListenerConfiguration[1];
    self[0] = new MutableCacheEntryListenerConfiguration<>(
        () -> (CacheEntryCreatedListener<Integer, Integer>) events -> {
          calls.incrementAndGet();
          cache.deregisterCacheEntryListener(self[0]);
        }, null, false, true);
    cache.registerCacheEntryListener(self[0]);
    java.util.concurrent.CompletableFuture<Void> puts = java.util.concurrent.CompletableFuture.runAsync(() -> {
      cache.put(1, 1);
      cache.put(2, 2);
    });
    assertThat(puts).succeedsWithin(java.time.Duration.ofSeconds(20));
    assertThat(calls.get()).isEqualTo(1);
  }

  /** Counts what it hears. */
  static final class Counting implements CacheEntryCreatedListener<Integer, Integer>, Serializable {
    static final AtomicInteger HEARD = new AtomicInteger();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      events.forEach(event -> HEARD.incrementAndGet());
    }
  }

  @Test
  void aWriteThatFailsIsNeverAnnounced() {
    Counting.HEARD.set(0);
    Cache<Integer, Integer> cache = manager.createCache("failing-writer",
        TierCacheConfiguration.builder(Integer.class, Integer.class)
            .listener(new MutableCacheEntryListenerConfiguration<>(Counting::new, null, false, true))
            .writeThrough(() -> new javax.cache.integration.CacheWriter<Integer, Integer>() {
              @Override
              public void write(Cache.Entry<? extends Integer, ? extends Integer> entry) {
                if (entry.getKey() < 0) {
                  throw new IllegalStateException("the database said no");
                }
              }

              @Override
              public void writeAll(java.util.Collection<Cache.Entry<? extends Integer, ? extends Integer>> entries) {
                entries.forEach(this::write);
                entries.clear();
              }

              @Override
              public void delete(Object key) {
              }

              @Override
              public void deleteAll(java.util.Collection<?> keys) {
                keys.clear();
              }
            })
            .build());
    cache.put(1, 1);
    assertThatThrownBy(() -> cache.put(-1, 1)).isInstanceOf(javax.cache.integration.CacheWriterException.class);
    cache.put(2, 2);
    assertThat(Counting.HEARD.get()).isEqualTo(2);
    assertThat(cache.containsKey(-1)).isFalse();
  }
}
