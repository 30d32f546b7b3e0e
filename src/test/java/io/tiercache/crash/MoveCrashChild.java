package io.tiercache.crash;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.routing.TypeStrategy;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The process {@link MoveCrashTest} kills: it writes without end to two composite caches whose strategies move
 * an entry on (nearly) every write, printing {@code W cache key value} before each put and
 * {@code A cache key value} once it returned (acknowledged). Values are unique across runs.
 */
public final class MoveCrashChild {

  /** The keys written, few so that every write is likely to move an entry. */
  static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");

  /** [mapdb, rocksdb]: even values in MapDB, odd ones in RocksDB, so consecutive values always move. */
  public static final class ByParity implements TypeStrategy {
    @Override
    public String route(Object key, Object value, io.tiercache.routing.RoutingContext context) {
      return ((Long) value) % 2 == 0 ? "mapdb" : "rocksdb";
    }
  }

  /** [heap, mapdb, rocksdb]: by value modulo 3, through all three tiers in turn. */
  public static final class ByRemainder implements TypeStrategy {
    @Override
    public String route(Object key, Object value, io.tiercache.routing.RoutingContext context) {
      return context.tiers().get((int) (((Long) value) % 3));
    }
  }

  private MoveCrashChild() { }

  /** Opens the manager both the child and the verifying parent use. */
  static CacheManager manager(Path directory) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:move-crash"),
        MoveCrashChild.class.getClassLoader(), properties);
  }

  /** The two caches: "two" over MapDB and RocksDB, "three" over the heap, MapDB and RocksDB. */
  static Cache<String, Long> cache(CacheManager manager, String name) {
    TierCacheConfiguration.Builder<String, Long> builder = TierCacheConfiguration.builder(String.class, Long.class)
        // MapDB's crash-safe mode: this test is about moves, not about MapDB's own default (see issue 9)
        .tierSetting("mapdb.transactions", true);
    if (name.equals("two")) {
      builder.tiers("mapdb", "rocksdb").strategy(new ByParity());
    } else {
      builder.tiers("heap", "mapdb", "rocksdb").strategy(new ByRemainder());
    }
    return manager.createCache(name, builder.build());
  }

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    long base = Long.parseLong(args[1]);
    Random random = new Random(base);
    PrintStream out = System.out;
    CacheManager manager = manager(directory);
    List<Cache<String, Long>> caches = List.of(cache(manager, "two"), cache(manager, "three"));
    out.println("READY");
    out.flush();
    for (long value = base; ; value++) {
      Cache<String, Long> cache = caches.get(random.nextInt(2));
      String key = KEYS.get(random.nextInt(KEYS.size()));
      out.println("W " + cache.getName() + " " + key + " " + value);
      out.flush();
      cache.put(key, value);
      out.println("A " + cache.getName() + " " + key + " " + value);
      out.flush();
    }
  }
}
