package io.tiercache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
 * Placement under a skewed workload (the adaptive strategy's benchmark): Zipf(0.99) over a data set ten times
 * the heap budget, values of 100 B to 1 MiB (log-uniform, a fixed size per key), nine reads to one write. A read
 * that misses puts the value back, as a read-through cache would, so a subject that loses entries pays for it.
 * Every subject gets the same heap budget in bytes ({@link PlacementSubjects}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlacementBenchmark {

  @Param({"tiercache-adaptive"})
  public String subject;

  /** The heap budget in MiB; the data set is ten times as large. */
  @Param({"32"})
  public int budgetMiB;

  private PlacementWorkload workload;
  private Subject store;
  private Path directory;

  /** Where each thread is in the sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = new Random().nextInt(PlacementWorkload.SEQUENCE);
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    long budget = budgetMiB * 1024L * 1024;
    workload = new PlacementWorkload(10 * budget, 42);
    directory = Files.createTempDirectory("tiercache-placement");
    store = PlacementSubjects.create(subject, budget, workload.totalBytes(), directory);
    workload.load(store);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    Subjects.delete(directory);
  }

  /** One operation of the mix: a write one time in ten, otherwise a read (putting the value back on a miss). */
  @Benchmark
  public Object operation(Cursor cursor) {
    return workload.step(store, cursor.next++);
  }
}
