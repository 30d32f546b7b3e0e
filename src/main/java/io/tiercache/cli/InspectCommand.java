package io.tiercache.cli;

import io.tiercache.persistence.StoreVerifier;
import io.tiercache.persistence.StoreVerifier.StoreReport;
import io.tiercache.tier.serialized.RecordFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inspect DIR}: what a directory holds, cache by cache and tier by tier, and whether it is sound. */
@Command(name = "inspect", description = {"Shows a tiercache directory: its caches and their tiers, entries,"
    + " bytes, record format versions, the classes in its registry and whether every record passes its checksum.",
    "Reads a directory a running process holds too, as it is at that moment."})
final class InspectCommand extends DirectoryCommand implements Callable<Integer> {


  @Option(names = {"-c", "--classes"}, description = "List every class of the registry, not only their count.")
  boolean listClasses;


  @Override
  public Integer call() {
    PrintWriter out = out();
    Path dir = Directories.existing(directory);
    StoreVerifier.Report report = StoreVerifier.verify(dir, List.of(), getClass().getClassLoader(), true);
    out.println("Directory:     " + dir);
    out.println("In use:        " + (report.heldBy() == null ? "no"
        : "yes, by " + report.heldBy() + " (read as it is now; writes under way may be missed)"));
    out.println("Record format: " + versions(report.stores()));
    out.println("Class registry: " + report.classes().size() + " classes"
        + (listClasses || report.classes().isEmpty() ? "" : " (--classes lists them)"));
    if (listClasses) {
      report.classes().forEach((id, entry) -> out.printf("  %5d  %s%s%n", id, entry[0],
          entry[1] == null ? "" : "  (layout " + entry[1] + ")"));
    }
    out.println();
    out.printf("%-24s %-8s %10s %11s %9s %9s%n", "CACHE", "TIER", "ENTRIES", "BYTES", "EXPIRED", "DAMAGED");
    for (StoreReport store : report.stores()) {
      out.printf("%-24s %-8s %10d %11s %9d %9s%n", store.cache(), store.tier(), store.records(),
          Sizes.of(store.bytes()), store.expired(), store.sound() ? "0" : store.damaged() == 0 ? "(unreadable)"
              : String.valueOf(store.damaged()));
    }
    long encrypted = report.stores().stream().mapToLong(StoreReport::encrypted).sum();
    if (encrypted > 0) {
      out.println("Encrypted:     " + encrypted + " records (AES-256-GCM; only their keys can check them, so they are"
          + " counted, not verified)");
    }
    if (report.stores().isEmpty()) {
      out.println("(no disk stores: nothing was written to a disk tier here)");
    }
    out.println();
    long records = report.stores().stream().mapToLong(StoreReport::records).sum();
    if (report.damageFound()) {
      long damaged = report.stores().stream().filter(s -> !s.sound()).count();
      out.println("Health:        DAMAGED in " + damaged + " of " + report.stores().size() + " stores; run"
          + " 'tiercache verify " + dir + "' for the records and reasons");
      return TierCacheCli.DAMAGE_FOUND;
    }
    out.println("Health:        sound (" + records + " records passed their checksums)");
    return TierCacheCli.OK;
  }

  private static String versions(List<StoreReport> stores) {
    Map<Integer, Long> all = new TreeMap<>();
    stores.forEach(store -> store.versions().forEach((version, count) -> all.merge(version, count, Long::sum)));
    if (all.isEmpty()) {
      return "no records (this version writes format " + RecordFormat.VERSION + ")";
    }
    if (all.size() == 1 && all.containsKey((int) RecordFormat.VERSION)) {
      return "version " + RecordFormat.VERSION + " (current)";
    }
    StringBuilder text = new StringBuilder();
    all.forEach((version, count) -> text.append(text.length() == 0 ? "" : ", ").append("version ")
        .append(version).append(": ").append(count).append(" records"));
    return text + " (current: " + RecordFormat.VERSION + "; older records are read, and rewritten in the current"
        + " format when their entry is next written)";
  }
}
