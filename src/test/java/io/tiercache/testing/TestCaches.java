package io.tiercache.testing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/** Cache managers private to one test, so tests never see each other's caches. */
public final class TestCaches {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private TestCaches() { }

  public static CacheManager newManager() {
    CachingProvider provider = Caching.getCachingProvider();
    return provider.getCacheManager(URI.create("tiercache:test-" + SEQUENCE.incrementAndGet()),
        TestCaches.class.getClassLoader());
  }
}
