package io.tiercache.persistence;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The JVM {@link ShutdownTest} stops: writes {@link #ENTRIES} entries to a RocksDB cache (they sit in its
 * memtable and write-ahead log until a clean close flushes them into table files), prints READY and waits to be
 * stopped without closing anything itself.
 */
public final class ShutdownChild {

  static final int ENTRIES = 200;

  private ShutdownChild() { }

  static CacheManager manager(String directory, String name) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory);
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:" + name),
        ShutdownChild.class.getClassLoader(), properties);
  }

  static TierCacheConfiguration<String, String> configuration() {
    return TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build();
  }

  public static void main(String[] args) throws Exception {
    CacheManager manager = manager(args[0], "shutdown-child");
    Cache<String, String> cache = manager.createCache("stopped", configuration());
    for (int i = 0; i < ENTRIES; i++) {
      cache.put("k" + i, "v" + i);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
