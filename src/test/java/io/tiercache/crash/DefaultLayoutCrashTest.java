package io.tiercache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link DefaultLayoutCrashChild}) with SIGKILL at random moments while it writes, through
 * the JCache API and with default settings, to a MapDB cache, a RocksDB cache and a {@code [heap, mapdb,
 * rocksdb]} composite, and the same composite encrypted with hashed keys; then reopens the directory and checks every key: it holds its last acknowledged value
 * or the change in flight, never an older one and never nothing, except where the last value (or the one in
 * flight) went to the heap, which dies with the process. The directory carries over, so crashes follow
 * crashes. {@code -Dtiercache.crash.cycles=N} sets the number of cycles (default 12).
 */
class DefaultLayoutCrashTest {

  private static final int CYCLES = Integer.getInteger("tiercache.crash.cycles", 12);
  private static final long ABSENT = -1;

  @TempDir
  Path directory;

  @Test
  void killingTheProcessLosesNoAcknowledgedWriteOnAnyDefaultLayout() throws Exception {
    Random random = new Random();
    Map<String, Long> state = new HashMap<>(); // cache/key -> number, ABSENT for none, after each verification
    Map<String, Integer> acknowledgedPerCache = new HashMap<>();
    int inFlightFound = 0;
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Map<String, long[]> run = new HashMap<>(); // id -> {acknowledged or MIN, in flight or MIN}
      runAndKill(cycle * 10_000_000L, 300 + random.nextInt(1200), run, acknowledgedPerCache);
      try (CacheManager manager = DefaultLayoutCrashChild.manager(directory.toString(),
          "tiercache:crash-parent-" + cycle)) {
        for (String name : DefaultLayoutCrashChild.LAYOUTS.keySet()) {
          Cache<String, String> cache = DefaultLayoutCrashChild.open(manager, name, directory.toString());
          for (int k = 0; k < DefaultLayoutCrashChild.KEYS; k++) {
            String id = name + "/k" + k;
            String stored = cache.get("k" + k);
            long found = stored == null ? ABSENT : DefaultLayoutCrashChild.numberOf(stored);
            if (stored != null) {
              assertThat(stored).as("cycle %d, %s: the value's bytes", cycle, id)
                  .isEqualTo(DefaultLayoutCrashChild.value(name, found));
            }
            long[] seen = run.getOrDefault(id, new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            long last = seen[0] != Long.MIN_VALUE ? seen[0] : state.getOrDefault(id, ABSENT);
            long writing = seen[1];
            List<Long> allowed = new ArrayList<>(List.of(last));
            if (writing != Long.MIN_VALUE) {
              allowed.add(writing);
            }
            boolean heapInvolved = (name.equals("composite") || name.equals("encrypted"))
                && ((last != ABSENT && last % 3 == 0) || (writing != Long.MIN_VALUE && writing != ABSENT
                && writing % 3 == 0));
            if (found == ABSENT && heapInvolved) {
              state.put(id, ABSENT);
              continue; // the heap's copy died with the process: absent, never older
            }
            assertThat(allowed).as("cycle %d, %s: found %s; acknowledged %s, in flight %s", cycle, id, found,
                last, writing == Long.MIN_VALUE ? "nothing" : writing).contains(found);
            if (found == writing && writing != last) {
              inFlightFound++;
            }
            state.put(id, found);
          }
        }
      }
    }
    System.out.printf("DefaultLayoutCrashTest: %d kill cycles, acknowledged writes per cache %s, %d in-flight"
        + " changes found committed, 0 lost, 0 older%n", CYCLES, acknowledgedPerCache, inFlightFound);
    for (String name : DefaultLayoutCrashChild.LAYOUTS.keySet()) {
      assertThat(acknowledgedPerCache.getOrDefault(name, 0)).as("writes to %s between kills", name)
          .isGreaterThan(CYCLES);
    }
  }

  private void runAndKill(long base, int millis, Map<String, long[]> run, Map<String, Integer> counts)
      throws IOException, InterruptedException {
    KilledChild.run(DefaultLayoutCrashChild.class, List.of(directory.toString(), Long.toString(base)), millis,
        line -> {
          String[] parts = line.split(" ");
          if (parts.length != 4 || !(parts[0].equals("W") || parts[0].equals("A"))) {
            return;
          }
          String id = parts[1] + "/" + parts[2];
          long number = Long.parseLong(parts[3]);
          long[] seen = run.computeIfAbsent(id, x -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
          if (parts[0].equals("W")) {
            seen[1] = number;
          } else {
            seen[0] = number;
            seen[1] = Long.MIN_VALUE;
            counts.merge(parts[1], 1, Integer::sum);
          }
        });
  }
}
