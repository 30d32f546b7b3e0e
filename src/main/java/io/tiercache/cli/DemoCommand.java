package io.tiercache.cli;

import io.tiercache.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the README's demo, as {@code mvn -q compile exec:java} runs it. */
@Command(name = "demo", description = {"Runs the README's demo: one composite cache over heap, MapDB and"
    + " RocksDB, a skewed read workload, and a per-tier table. Run it twice: the second run finds the first"
    + " one's documents and blobs on disk."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR",
      description = "Where the disk tiers live (default: the per-user directory under ~/.tiercache).")
  Path directory;

  @Override
  public Integer call() {
    Demo.run(directory);
    return TierCacheCli.OK;
  }
}
