package io.tiercache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The workloads, one benchmark method each, over every subject. Keys are pre-boxed Integers; a pre-computed
 * sequence of key indices (uniform or Zipfian, s = 0.99) is walked by a per-thread cursor, so no random numbers
 * are drawn while measuring. Every get of {@link #getHit} is a hit: all keys are loaded in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheBenchmark {

  private static final int SEQUENCE = 1 << 20;
  private static final int BATCH = 100;

  @Param({"tiercache-heap"})
  public String subject;

  @Param({"100B"})
  public String value;

  @Param({"false"})
  public boolean storeByValue;

  @Param({"uniform"})
  public String keys;

  private Subject store;
  private Path directory;
  private Integer[] keyObjects;
  private Integer[] missKeys;
  private Object[] values;
  private int[] sequence;
  private Set<Object>[] keyBatches;
  private Map<Object, Object>[] entryBatches;

  /** Where each thread is in the sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = new Random().nextInt(SEQUENCE);
  }

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    int count = Values.keysFor(value);
    directory = Files.createTempDirectory("tiercache-benchmark");
    store = Subjects.create(subject, storeByValue, count, directory);
    keyObjects = new Integer[count];
    missKeys = new Integer[count];
    values = new Object[count];
    for (int i = 0; i < count; i++) {
      keyObjects[i] = i;
      missKeys[i] = count + i;
      values[i] = Values.create(value, i);
      store.put(keyObjects[i], values[i]);
    }
    if (subject.equals("tiercache-heap-redis")) {
      // a near cache fills on reads: read every key (twice, after the invalidations of the writes above have
      // arrived) so that getHit measures hits, as it does for the heap tier
      Thread.sleep(2_000);
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < count; i++) {
          store.get(keyObjects[i]);
        }
      }
    }
    sequence = keys.equals("zipf") ? Sequences.zipf(count, SEQUENCE, 0.99) : Sequences.uniform(count, SEQUENCE);
    keyBatches = new Set[64];
    entryBatches = new Map[64];
    Random random = new Random(42);
    for (int b = 0; b < keyBatches.length; b++) {
      keyBatches[b] = new LinkedHashSet<>();
      entryBatches[b] = new LinkedHashMap<>();
      while (keyBatches[b].size() < Math.min(BATCH, count)) {
        int index = random.nextInt(count);
        keyBatches[b].add(keyObjects[index]);
        entryBatches[b].put(keyObjects[index], values[index]);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    Subjects.delete(directory);
  }

  private int nextIndex(Cursor cursor) {
    return sequence[cursor.next++ & (SEQUENCE - 1)];
  }

  @Benchmark
  public Object getHit(Cursor cursor) {
    return store.get(keyObjects[nextIndex(cursor)]);
  }

  @Benchmark
  public Object getMiss(Cursor cursor) {
    return store.get(missKeys[nextIndex(cursor)]);
  }

  @Benchmark
  public void put(Cursor cursor) {
    int index = nextIndex(cursor);
    store.put(keyObjects[index], values[index]);
  }

  @Benchmark
  public Object mixed(Cursor cursor) {
    int index = nextIndex(cursor);
    if ((cursor.next % 10) == 0) {
      store.put(keyObjects[index], values[index]);
      return null;
    }
    return store.get(keyObjects[index]);
  }

  @Benchmark
  public Map<Object, Object> getAll(Cursor cursor) {
    return store.getAll(keyBatches[cursor.next++ & (keyBatches.length - 1)]);
  }

  @Benchmark
  public void putAll(Cursor cursor) {
    store.putAll(entryBatches[cursor.next++ & (entryBatches.length - 1)]);
  }
}
