package io.tiercache.cli;

import io.tiercache.persistence.StoreDirectory;
import io.tiercache.persistence.StoreScanner;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code compact DIR}: gives back the space of deleted and overwritten records. */
@Command(name = "compact", description = {"Compacts the stores of a tiercache directory no process holds:"
    + " RocksDB's caches are rewritten, MapDB's logs rewritten to their live records and their files rebuilt.",
    "Refuses a directory in use."})
final class CompactCommand extends DirectoryCommand implements Callable<Integer> {



  @Override
  public Integer call() {
    PrintWriter out = out();
    Path dir = Directories.existing(directory);
    Directories.requireFree(dir, "compact");
    try (StoreDirectory held = StoreDirectory.open(dir)) { // held while compacting: no cache may open it meanwhile
      if (java.nio.file.Files.isDirectory(held.rocksDb())) {
        long[] bytes = RocksDbTiers.compact(held.rocksDb());
        out.println("rocksdb: " + Sizes.of(bytes[0]) + " -> " + Sizes.of(bytes[1]));
      }
      for (StoreScanner.Store store : StoreScanner.stores(dir)) {
        if (!store.tier().equals("mapdb")) {
          continue;
        }
        long[] bytes = MapDbTiers.compact(store.location(), new KryoSerializer(held.registry(),
            ClassAllowlist.of(List.of()), () -> getClass().getClassLoader(), "compact " + store.label()));
        out.println(store.label() + ": " + (bytes == null
            ? "left as it is (it has no log: written in mapdb.mode file-lost-on-crash or with transactions, which"
                + " compaction does not handle)"
            : Sizes.of(bytes[0]) + " -> " + Sizes.of(bytes[1])));
      }
    }
    out.println("Compacted " + dir);
    return TierCacheCli.OK;
  }
}
