package io.tiercache.cli;

import io.tiercache.configuration.CacheSettings;
import io.tiercache.configuration.ConfigurationSource;
import io.tiercache.encryption.CacheEncryption;
import io.tiercache.persistence.StoreDirectory;
import io.tiercache.persistence.StoreScanner;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.mapdb.MapDbTiers;
import io.tiercache.tier.rocksdb.RocksDbTiers;
import io.tiercache.tier.serialized.Capacity;
import io.tiercache.tier.serialized.StoreProtection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rekey DIR CACHE --config FILE}: every record of an encrypted cache sealed again with the primary key. */
@Command(name = "rekey", description = {"Seals every record of an encrypted cache again with its primary master"
    + " key (records written with older keys, or before encryption was turned on), after which the cache needs"
    + " the primary key only and refuses plain records. The keys come from the cache's configuration file, as"
    + " the application reads it (environment variables included).",
    "Refuses a directory in use."})
final class RekeyCommand extends DirectoryCommand implements Callable<Integer> {

  @Parameters(index = "1", paramLabel = "CACHE", description = "The cache to re-key.")
  String cache;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "The tiercache configuration (HOCON) with the cache's encryption settings and keys.")
  Path configuration;

  @Override
  public Integer call() {
    Path dir = Directories.existing(directory);
    Directories.requireFree(dir, "rekey");
    if (!Files.isReadable(configuration)) {
      throw new CliException("--config " + configuration + " is not a readable file");
    }
    CacheSettings settings = ConfigurationSource.load(configuration.toAbsolutePath().toUri(),
        getClass().getClassLoader(), System.getenv()).settingsFor(cache, Map.of());
    if (!settings.encryption().enabled()) {
      throw new CliException(configuration + " enables no encryption for cache '" + cache + "'");
    }
    List<StoreScanner.Store> stores = StoreScanner.stores(dir).stream().filter(s -> s.cache().equals(cache)).toList();
    if (stores.isEmpty()) {
      throw new CliException(dir + " holds no disk store for cache '" + cache + "'");
    }
    long[] resealed = new long[1];
    try (StoreDirectory held = StoreDirectory.open(dir)) {
      CacheEncryption encryption = new CacheEncryption(settings.encryption(), cache, held.root());
      StoreProtection rekeying = (raw, name) -> {
        resealed[0] += encryption.rekey(raw, name);
        return raw; // the tier is closed right away: nothing reads through it
      };
      Serializer serializer = new KryoSerializer(held.registry(), ClassAllowlist.of(List.of()),
          () -> getClass().getClassLoader(), "rekey " + cache);
      for (StoreScanner.Store store : stores) {
        if (store.tier().equals("rocksdb")) {
          RocksDbTiers.open(held.rocksDb(), cache, false, false, serializer, Capacity.unbounded(), new KeyLocks(16),
              Clock.systemUTC(), TierListener.NONE, rekeying).close();
        } else {
          MapDbTiers.Durability durability = settings.mapdbTransactions() ? MapDbTiers.Durability.TRANSACTIONS
              : settings.mapdbMode() == CacheSettings.MapDbMode.FILE_LOST_ON_CRASH ? MapDbTiers.Durability.NONE
              : MapDbTiers.Durability.LOG;
          MapDbTiers.openFile(store.location(), durability, false, serializer, Capacity.unbounded(),
              new KeyLocks(16), Clock.systemUTC(), TierListener.NONE, rekeying).close();
        }
      }
      encryption.forgetOldKeys();
    }
    out().println("Re-keyed cache '" + cache + "' in " + dir + ": " + resealed[0] + " records sealed again with"
        + " master key '" + settings.encryption().primary() + "', which is now the only key the cache needs.");
    return TierCacheCli.OK;
  }
}
