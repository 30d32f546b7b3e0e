package io.tiercache.cli;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.spi.TierCachingProvider;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code import DIR CACHE FILE}: stores an export's entries into a cache of a directory. */
@Command(name = "import", description = {"Stores the entries of a 'tiercache export' file into a cache of a"
    + " tiercache directory (created if needed), through the cache itself: each entry lands in the tier the"
    + " cache's strategy picks, in this directory's own format and class ids.",
    "Values are decoded, so their classes must be allowed (--allow) and found (--class-path). An entry whose"
    + " key the cache holds already is replaced; others are kept. Each entry keeps the expiry instant it was"
    + " exported with; those expired by now are skipped.",
    "DIR is created if missing. Refuses a directory in use."})
final class ImportCommand extends DirectoryCommand implements Callable<Integer> {

  private static final int BATCH = 1_000;

  @Parameters(index = "1", paramLabel = "CACHE", description = "The cache to store into.")
  String cache;

  @Parameters(index = "2", paramLabel = "FILE", description = "The export to read.")
  Path file;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A tiercache configuration (HOCON) for the target cache: its tiers, strategy and allowlist."
          + " Without it the cache gets the tiers the export came from, and the --allow patterns.")
  Path configuration;

  @Mixin
  DecodingOptions decoding = new DecodingOptions();


  @Override
  public Integer call() throws Exception {
    PrintWriter err = err();
    ExportReader reader = new ExportReader(file);
    ExportReader.Header header = reader.header();
    Path dir = directory.toAbsolutePath().normalize();
    if (Files.exists(dir)) {
      Directories.requireFree(dir, "import");
    }
    if (configuration != null && !Files.isReadable(configuration)) {
      throw new CliException("--config " + configuration + " is not a readable file");
    }
    // two copies of a key (a move cut short by a crash): only the one with the higher sequence is imported,
    // decided before expiry is looked at (an expired newer copy must not let an older one come back)
    Map<String, Long> newest = new HashMap<>();
    reader.entries(header.entries(), entry -> newest.merge(Base64.getEncoder().encodeToString(entry.key()),
        entry.sequence(), Math::max));
    long[] counts = new long[3]; // stored, expired, older copies
    try (DecodingOptions.Loader loader = decoding.loader();
        CacheManager manager = manager(dir, loader.get());
        Progress progress = new Progress(err(), "imported")) {
      Serializer decoder = new KryoSerializer(ClassRegistry.shared(new ExportedClasses(header, file)),
          ClassAllowlist.of(decoding.allowlist), loader::get, "export " + file);
      Cache<Object, Object> target = target(manager, header);
      Map<Object, Object> eternal = new LinkedHashMap<>();
      long now = System.currentTimeMillis();
      reader.read(entry -> {
        String key64 = Base64.getEncoder().encodeToString(entry.key());
        Long wanted = newest.get(key64);
        if (wanted == null || wanted != entry.sequence()) {
          counts[2]++; // an older copy, or a second copy with the same sequence
          return;
        }
        newest.remove(key64);
        if (entry.expireAt() <= now) {
          counts[1]++;
          return;
        }
        Object key;
        Object value;
        try {
          key = decoder.deserializeKey(entry.key(), 0, entry.key().length);
          value = decoder.deserialize(entry.value(), 0, entry.value().length);
        } catch (RuntimeException e) {
          counts[0] += store(target, eternal);
          throw new CliException(file + " line " + entry.line() + " cannot be decoded: " + e.getMessage()
              + (decoding.allowlist.isEmpty() ? " (give --allow patterns, and --class-path for the classes)" : "")
              + "; the " + counts[0] + " entries before it were imported, none after", e);
        }
        progress.step();
        if (entry.expireAt() == io.tiercache.tier.Envelope.ETERNAL) {
          eternal.put(key, value);
          if (eternal.size() >= BATCH) {
            counts[0] += store(target, eternal);
          }
        } else {
          // expiry is per entry: stored alone, with the policy told its instant
          ImportExpiry.storing(entry.expireAt());
          try {
            target.put(key, value);
          } finally {
            ImportExpiry.storing(null);
          }
          counts[0]++;
        }
      });
      counts[0] += store(target, eternal);
    }
    err().println("Imported " + counts[0] + " entries into cache '" + cache + "' of " + dir
        + (counts[1] == 0 ? "" : "; skipped " + counts[1] + " expired")
        + (counts[2] == 0 ? "" : "; skipped " + counts[2] + " older copies"));
    return TierCacheCli.OK;
  }

  private static long store(Cache<Object, Object> target, Map<Object, Object> batch) {
    int size = batch.size();
    target.putAll(batch);
    batch.clear();
    return size;
  }

  private CacheManager manager(Path dir, ClassLoader loader) {
    CachingProvider provider = Caching.getCachingProvider(TierCachingProvider.class.getName(), loader);
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, dir.toString());
    URI uri = configuration == null ? URI.create("tiercache:import") : configuration.toAbsolutePath().toUri();
    return provider.getCacheManager(uri, loader, properties);
  }

  private Cache<Object, Object> target(CacheManager manager, ExportReader.Header header) {
    if (configuration != null) {
      // the file's settings for the cache (its tiers, strategy, allowlist), and each entry's own expiry
      return manager.createCache(cache, new javax.cache.configuration.MutableConfiguration<Object, Object>()
          .setExpiryPolicyFactory(ImportExpiry.factory()));
    }
    // the disk tiers the entries came from, without a heap in front: every imported entry is persisted
    List<String> tiers = new ArrayList<>(new java.util.LinkedHashSet<>(header.tiers()));
    if (tiers.isEmpty()) {
      throw new CliException(file + " names no tiers; give --config to say where the entries go");
    }
    return manager.createCache(cache, TierCacheConfiguration.builder(Object.class, Object.class)
        .tiers(tiers.toArray(String[]::new)).allowlist(decoding.allowlist.toArray(String[]::new))
        .expiryPolicy(ImportExpiry.factory()).build());
  }

  /** The export's class table, as the registry the decoder reads class ids from. */
  private static final class ExportedClasses implements ClassRegistry.Shared {
    private final Map<Integer, String[]> classes;
    private final Path file;

    ExportedClasses(ExportReader.Header header, Path file) {
      this.classes = header.classes();
      this.file = file;
    }

    @Override
    public int claim(String className, String fingerprint, int firstId) {
      throw new IllegalStateException("an export is read, never written (" + file + ")");
    }

    @Override
    public String[] lookup(int id) {
      return classes.get(id);
    }
  }
}
