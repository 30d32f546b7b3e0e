package io.tiercache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.routing.CompositeTier;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL at random moments while it moves entries between tiers on nearly every write
 * ({@link MoveCrashChild}), then checks every key: it holds its last acknowledged value or the value being
 * written, never neither and never an older one; and exactly one tier holds it, so no later eviction, expiry
 * or removal of that copy can uncover an older one. The heap is the exception it must be: its copies die with
 * the process, so a key whose last value (or whose write in flight) went to the heap may be absent, never older.
 * The store carries over from cycle to cycle, so crashes follow crashes. {@code -Dtiercache.crash.cycles=N} sets the number of cycles (default 20;
 * {@code .ci/move-crash-100} runs 100).
 */
class MoveCrashTest {

  private static final int CYCLES = Integer.getInteger("tiercache.crash.cycles", 20);

  @TempDir
  Path directory;

  /** What one run of the child acknowledged and had in flight, per cache and key. */
  private static final class Run {
    final Map<String, Long> acknowledged = new HashMap<>();
    final Map<String, Long> inFlight = new HashMap<>();
    int writes;

    void read(String line) {
      String[] parts = line.split(" ");
      if (parts.length != 4) {
        return;
      }
      String id = parts[1] + "/" + parts[2];
      long value = Long.parseLong(parts[3]);
      if (parts[0].equals("W")) {
        inFlight.put(id, value);
      } else if (parts[0].equals("A")) {
        acknowledged.put(id, value);
        inFlight.remove(id);
        writes++;
      }
    }
  }

  @Test
  void killingTheProcessMidMoveNeverLosesNorResurrectsAValue() throws Exception {
    Random random = new Random();
    Map<String, Long> state = new HashMap<>(); // what each key held after the last verification
    int totalWrites = 0;
    int inFlightFound = 0;
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Run run = runAndKill(cycle * 1_000_000L, 150 + random.nextInt(900));
      totalWrites += run.writes;
      Map<String, Long> found = new HashMap<>();
      Map<String, CompositeTier<String>> composites = MoveCrashChild.open(directory);
      try {
        for (Map.Entry<String, CompositeTier<String>> named : composites.entrySet()) {
          String name = named.getKey();
          CompositeTier<String> composite = named.getValue();
          for (String key : MoveCrashChild.KEYS) {
            String id = name + "/" + key;
            Envelope stored = composite.get(key);
            Long value = stored == null ? null : (Long) stored.value();
            Long last = run.acknowledged.containsKey(id) ? run.acknowledged.get(id) : state.get(id);
            Long writing = run.inFlight.get(id);
            // the heap dies with the process: a key whose last value lived there, or whose write in flight may have
            // committed there, is absent after the crash; but it is never older
            boolean lastOnHeap = name.equals("three") && last != null && last % 3 == 0;
            boolean writingToHeap = name.equals("three") && writing != null && writing % 3 == 0;
            List<Long> allowed = new ArrayList<>();
            if (last != null) {
              allowed.add(last);
            }
            if (writing != null) {
              allowed.add(writing);
            }
            if (value == null) {
              assertThat(last == null || lastOnHeap || writingToHeap)
                  .as("cycle %d, %s: the last acknowledged value %s (and %s being written) were lost", cycle, id,
                      last, writing)
                  .isTrue();
            } else {
              assertThat(allowed).as("cycle %d, %s: found %s, an older or unknown value", cycle, id, value)
                  .contains(value);
              if (value.equals(writing)) {
                inFlightFound++;
              }
            }
            assertThat(tiersHolding(composite, key))
                .as("cycle %d, %s: copies at rest (a second one could resurface later)", cycle, id)
                .isLessThanOrEqualTo(1);
            if (value != null) {
              found.put(id, value);
            }
          }
        }
      } finally {
        composites.values().forEach(CompositeTier::close);
      }
      state = found;
    }
    System.out.printf("MoveCrashTest: %d kill cycles, %d acknowledged writes, %d in-flight values found"
        + " committed, 0 lost, 0 older%n", CYCLES, totalWrites, inFlightFound);
    assertThat(totalWrites).as("the child must have written between kills").isGreaterThan(CYCLES);
  }

  private static int tiersHolding(CompositeTier<String> composite, String key) {
    int holding = 0;
    for (Tier<String> tier : composite.tiers()) {
      holding += tier.get(key) == null ? 0 : 1;
    }
    return holding;
  }

  /** Starts the child, lets it write for {@code millis} after it is ready, kills it and returns its output. */
  private Run runAndKill(long base, int millis) throws IOException, InterruptedException {
    Run run = new Run();
    KilledChild.run(MoveCrashChild.class, List.of(directory.toString(), Long.toString(base)), millis, run::read);
    return run;
  }
}
