package io.tiercache.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap bytes per entry — the GC'd heap delta of loading 100k entries of 100 B, whose keys and values exist
 * before the first measurement, so the delta is what the subject itself adds per entry — and bytes on disk,
 * per subject. Prints markdown rows; run in its own JVM.
 */
public final class Footprint {

  private Footprint() { }

  public static void main(String[] args) throws Exception {
    List<String> subjects = args.length > 0 ? List.of(args) : Subjects.ALL;
    int count = 100_000;
    System.out.println("| subject | heap bytes per entry | bytes on disk |");
    System.out.println("|---|---|---|");
    for (String name : subjects) {
      Object[] values = new Object[count];
      Integer[] keys = new Integer[count];
      for (int i = 0; i < count; i++) {
        values[i] = Values.create("100B", i);
        keys[i] = i;
      }
      Path directory = Files.createTempDirectory("tiercache-footprint");
      long before = usedHeap();
      Subject store = Subjects.create(name, false, count, directory);
      for (int i = 0; i < count; i++) {
        store.put(keys[i], values[i]);
      }
      long after = usedHeap();
      long disk = diskBytes(directory);
      System.out.printf(Locale.ROOT, "| %s | %d | %s |%n", name, Math.max(0, (after - before) / count),
          disk == 0 ? "-" : String.valueOf(disk));
      store.close();
      Subjects.delete(directory);
      keys = null;
      values = null;
    }
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long diskBytes(Path directory) throws Exception {
    List<Long> sizes = new ArrayList<>();
    try (var files = Files.walk(directory)) {
      files.filter(Files::isRegularFile).forEach(file -> {
        try {
          sizes.add(Files.size(file));
        } catch (Exception e) {
          sizes.add(0L);
        }
      });
    }
    return sizes.stream().mapToLong(Long::longValue).sum();
  }
}
