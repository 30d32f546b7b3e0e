package io.tiercache.cli;

import io.tiercache.persistence.StoreScanner;
import io.tiercache.tier.serialized.ProtectedStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code profile DIR}: each cache's records by size, and what the adaptive strategy would make of them: where
 * each entry's home would be, and how much of the data a heap budget could hold as copies. The directory records
 * no reads, so how often entries are read is the running process's to say ({@code stats PID}: hits per tier,
 * promotions, demotions).
 */
@Command(name = "profile", description = {"Shows each cache's records by serialized size and what the adaptive"
    + " strategy would do with them: homes in MapDB or RocksDB, and the share of the data a heap budget can copy.",
    "Reads a directory a running process holds too. How often entries are read lives in the running process:"
    + " 'tiercache stats PID' shows hits per tier, promotions and demotions."})
final class ProfileCommand extends DirectoryCommand implements Callable<Integer> {

  /** Upper bounds of the size classes, in bytes; the last class is everything larger. */
  private static final long[] BOUNDS = {128, 1024, 4096, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024};

  @Option(names = "--heap-budget", defaultValue = "64MiB", paramLabel = "BYTES",
      description = "The adaptive strategy's heap budget to weigh the data against (default: ${DEFAULT-VALUE}).")
  String heapBudget;

  @Option(names = "--bulky-bytes", defaultValue = "256KiB", paramLabel = "BYTES",
      description = "Larger records would live in RocksDB, the others in MapDB (default: ${DEFAULT-VALUE}).")
  String bulkyBytes;

  @Option(names = "--warm-budget", paramLabel = "BYTES",
      description = "The adaptive strategy's warm budget: show how much of MapDB's share would move down to RocksDB.")
  String warmBudget;

  /** One cache's figures: per size class, entries and bytes; per tier, entries; and where homes would move. */
  private static final class Profile {
    final long[] entries = new long[BOUNDS.length + 1];
    final long[] bytes = new long[BOUNDS.length + 1];
    final Map<String, Long> perTier = new LinkedHashMap<>();
    long toMapDb;
    long toRocksDb;
    long total;
    long totalBytes;
    long mapDbHomeBytes;
    long[] sizes = new long[64];
    int count;

    void add(String tier, int size, long bulky) {
      int bucket = 0;
      while (bucket < BOUNDS.length && size > BOUNDS[bucket]) {
        bucket++;
      }
      entries[bucket]++;
      bytes[bucket] += size;
      perTier.merge(tier, 1L, Long::sum);
      String home = size <= bulky ? "mapdb" : "rocksdb";
      if (home.equals("mapdb")) {
        mapDbHomeBytes += size;
      }
      if (!home.equals(tier)) {
        if (home.equals("mapdb")) {
          toMapDb++;
        } else {
          toRocksDb++;
        }
      }
      total++;
      totalBytes += size;
      if (count == sizes.length) {
        sizes = Arrays.copyOf(sizes, count * 2);
      }
      sizes[count++] = size;
    }

    /** How many of the smallest entries fit in {@code budget}: the most a budget can copy, by count. */
    long fittingSmallest(long budget) {
      long[] sorted = Arrays.copyOf(sizes, count);
      Arrays.sort(sorted);
      long used = 0;
      long fitting = 0;
      for (long size : sorted) {
        if (used + size + 64 > budget) {
          break;
        }
        used += size + 64;
        fitting++;
      }
      return fitting;
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    Path dir = Directories.existing(directory);
    long budget = Sizes.parse(heapBudget, "--heap-budget");
    long bulky = Sizes.parse(bulkyBytes, "--bulky-bytes");
    long warm = warmBudget == null ? 0 : Sizes.parse(warmBudget, "--warm-budget");
    Map<String, Profile> profiles = new LinkedHashMap<>();
    List<StoreScanner.Store> stores = StoreScanner.stores(dir);
    for (StoreScanner.Store store : stores) {
      Profile profile = profiles.computeIfAbsent(store.cache(), name -> new Profile());
      StoreScanner.scan(store, false, (key, record) -> {
        if (!Arrays.equals(key, ProtectedStore.MARKER_KEY)) {
          profile.add(store.tier(), record.length, bulky);
        }
      });
    }
    if (profiles.isEmpty()) {
      out.println("(no disk stores: nothing was written to a disk tier here)");
      return TierCacheCli.OK;
    }
    for (Map.Entry<String, Profile> named : profiles.entrySet()) {
      Profile profile = named.getValue();
      out.println("Cache " + named.getKey() + ": " + profile.total + " entries, " + Sizes.of(profile.totalBytes)
          + " (" + describe(profile.perTier) + ")");
      out.printf("  %-14s %10s %11s %7s%n", "SIZE", "ENTRIES", "BYTES", "BYTES%");
      long lower = 0;
      for (int i = 0; i <= BOUNDS.length; i++) {
        String label = i < BOUNDS.length ? Sizes.of(lower) + "-" + Sizes.of(BOUNDS[i]) : "> " + Sizes.of(lower);
        if (profile.entries[i] > 0) {
          out.printf("  %-14s %10d %11s %6.1f%%%n", label, profile.entries[i], Sizes.of(profile.bytes[i]),
              100.0 * profile.bytes[i] / Math.max(1, profile.totalBytes));
        }
        lower = i < BOUNDS.length ? BOUNDS[i] : lower;
      }
      out.println("  Under the adaptive strategy (bulky-bytes " + Sizes.of(bulky) + ", heap-budget "
          + Sizes.of(budget) + "):");
      out.println("    homes: " + (profile.total - profile.toMapDb - profile.toRocksDb) + " entries stay where they"
          + " are, " + profile.toMapDb + " would live in MapDB, " + profile.toRocksDb + " in RocksDB");
      out.printf("    heap copies: the budget holds %.1f%% of the data's bytes; at most %d entries (%.1f%%) if the"
          + " hottest were the smallest%n", Math.min(100.0, 100.0 * budget / Math.max(1, profile.totalBytes)),
          profile.fittingSmallest(budget), 100.0 * profile.fittingSmallest(budget) / profile.total);
      if (warm > 0) {
        // cooling stops a tenth below the budget; which entries go depends on how often each is read
        long moving = Math.max(0, profile.mapDbHomeBytes - (warm - warm / 10));
        out.println("    warm budget " + Sizes.of(warm) + ": MapDB's share is " + Sizes.of(profile.mapDbHomeBytes)
            + (profile.mapDbHomeBytes > warm ? "; its least-read entries, about " + Sizes.of(moving)
            + ", would move down to RocksDB" : ", within the budget: nothing moves"));
      }
    }
    return TierCacheCli.OK;
  }

  private static String describe(Map<String, Long> perTier) {
    StringBuilder text = new StringBuilder();
    perTier.forEach((tier, count) -> text.append(text.length() == 0 ? "" : ", ").append(tier).append(' ')
        .append(count));
    return text.toString();
  }
}
