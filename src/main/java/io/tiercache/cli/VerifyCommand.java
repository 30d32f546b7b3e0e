package io.tiercache.cli;

import io.tiercache.persistence.StoreVerifier;
import io.tiercache.persistence.StoreVerifier.StoreReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code verify DIR}: every record read and checked; the exit code says whether damage was found. */
@Command(name = "verify", description = {"Reads every record of a tiercache directory and checks it: its"
    + " checksum and framing, and with --allow (and --class-path for the application's classes) that its key"
    + " and value decode. Nothing is repaired.",
    "Exit code 0: sound; 1: damage found (listed); 2: the directory could not be read."})
final class VerifyCommand extends DirectoryCommand implements Callable<Integer> {


  @Mixin
  DecodingOptions decoding = new DecodingOptions();


  @Override
  public Integer call() {
    PrintWriter out = out();
    Path dir = Directories.existing(directory);
    StoreVerifier.Report report;
    try (DecodingOptions.Loader loader = decoding.loader()) {
      report = StoreVerifier.verify(dir, decoding.allowlist, loader.get(), true);
    } catch (java.io.IOException e) {
      throw new CliException("Cannot close the --class-path jars: " + e.getMessage(), e);
    }
    if (report.heldBy() != null) {
      out.println("Note: " + dir + " is in use by " + report.heldBy() + "; it was read as it is now.");
    }
    out.println(decoding.allowlist.isEmpty()
        ? "Checked checksums and framing; values were not decoded (give --allow and --class-path to decode them)."
        : "Checked checksums and framing, and decoded every key and value under " + decoding.allowlist + ".");
    for (StoreReport store : report.stores()) {
      out.println(store.store() + ": " + store.records() + " records, "
          + (store.sound() ? "sound" : store.damaged() + " damaged"));
      store.problems().forEach(problem -> out.println("  " + problem));
      if (store.damaged() > store.problems().size() && !store.problems().isEmpty()) {
        out.println("  ... and " + (store.damaged() - store.problems().size()) + " more");
      }
    }
    if (report.damageFound()) {
      out.println("DAMAGE FOUND. A cache drops a damaged record as a miss when it meets it (never a wrong value);"
          + " restore the directory from a backup to get those entries back.");
      return TierCacheCli.DAMAGE_FOUND;
    }
    out.println("Sound: " + report.stores().size() + " stores, "
        + report.stores().stream().mapToLong(StoreReport::records).sum() + " records.");
    return TierCacheCli.OK;
  }
}
