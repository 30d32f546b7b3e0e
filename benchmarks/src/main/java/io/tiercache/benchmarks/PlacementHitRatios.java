package io.tiercache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hit ratios of {@link PlacementBenchmark}'s workload, counted rather than timed: for each subject, the
 * share of reads its heap answered and the share it answered at all, over a fixed number of operations after a
 * warm-up of as many. {@code java -cp benchmarks.jar io.tiercache.benchmarks.PlacementHitRatios [budget MiB]
 * [operations] [subject,...]}; prints one Markdown table row per subject.
 */
public final class PlacementHitRatios {

  private PlacementHitRatios() { }

  public static void main(String[] args) throws Exception {
    int budgetMiB = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int operations = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    long budget = budgetMiB * 1024L * 1024;
    System.out.println("| subject | heap hit ratio | hit ratio | operations |");
    System.out.println("|---|---|---|---|");
    java.util.List<String> names = args.length > 2 ? java.util.List.of(args[2].split(",")) : PlacementSubjects.NAMES;
    for (String name : names) {
      PlacementWorkload workload = new PlacementWorkload(10 * budget, 42);
      Path directory = Files.createTempDirectory("tiercache-placement-ratios");
      Subject subject = PlacementSubjects.create(name, budget, workload.totalBytes(), directory);
      try {
        workload.load(subject);
        for (int i = 0; i < operations; i++) {
          workload.step(subject, i);
        }
        long heapBefore = PlacementSubjects.heapHits(subject, workload);
        long readsBefore = workload.reads;
        long missesBefore = workload.misses;
        for (int i = operations; i < 2 * operations; i++) {
          workload.step(subject, i);
        }
        long reads = workload.reads - readsBefore;
        long heapHits = PlacementSubjects.heapHits(subject, workload) - heapBefore;
        long hits = reads - (workload.misses - missesBefore);
        System.out.printf("| %s | %.3f | %.3f | %d |%n", name, (double) heapHits / reads, (double) hits / reads,
            operations);
      } finally {
        subject.close();
        Subjects.delete(directory);
      }
    }
  }
}
