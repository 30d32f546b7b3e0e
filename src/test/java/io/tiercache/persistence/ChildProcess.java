package io.tiercache.persistence;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/** Runs in a separate JVM for the persistence tests: writes entries, reports, then waits to be killed. */
public final class ChildProcess {

  private ChildProcess() { }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, args[1]);
    CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create("tiercache:persistence-test"),
        ChildProcess.class.getClassLoader(), properties);
    Cache<String, String> cache = manager.createCache("durable",
        TierCacheConfiguration.builder(String.class, String.class).tiers("rocksdb").build());
    if (mode.equals("write-then-hang")) {
      int count = Integer.parseInt(args[2]);
      for (int i = 0; i < count; i++) {
        cache.put("key-" + i, "value-" + i); // acknowledged once put returns
      }
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(120_000); // the parent kills this JVM with SIGKILL long before
  }
}
