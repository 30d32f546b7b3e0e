package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/** Cache managers are scoped by (URI, ClassLoader), and a manager never pins its class loader. */
class ClassLoaderScopingTest {

  private final CachingProvider provider = Caching.getCachingProvider();
  private final URI uri = URI.create("tiercache:classloader-scoping");

  @Test
  void eachClassLoaderHasItsOwnManagerAndCaches() {
    ClassLoader first = new URLClassLoader(new URL[0], getClass().getClassLoader());
    ClassLoader second = new URLClassLoader(new URL[0], getClass().getClassLoader());
    CacheManager firstManager = provider.getCacheManager(uri, first);
    CacheManager secondManager = provider.getCacheManager(uri, second);
    try {
      assertThat(firstManager).isNotSameAs(secondManager);
      assertThat(provider.getCacheManager(uri, first)).isSameAs(firstManager);
      assertThat(firstManager.getClassLoader()).isSameAs(first);
      firstManager.createCache("c", new TierCacheConfiguration<String, String>());
      assertThat(secondManager.getCache("c")).isNull();
    } finally {
      firstManager.close();
      secondManager.close();
    }
    assertThat(provider.getCacheManager(uri, first)).isNotSameAs(firstManager);
    provider.close(uri, first);
  }

  @Test
  void anUnreachableClassLoaderIsCollectedDespiteItsManagerAndCaches() throws Exception {
    WeakReference<ClassLoader> collected = createManagerWithCachesAndForgetLoader();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (collected.get() != null && System.nanoTime() < deadline) {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int i = 0; i < pressure.length; i++) {
        pressure[i] = new byte[1 << 20];
      }
      Thread.sleep(20);
    }
    assertThat(collected.get()).as("the application's class loader was collected").isNull();
  }

  private WeakReference<ClassLoader> createManagerWithCachesAndForgetLoader() {
    ClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());
    CacheManager manager = provider.getCacheManager(uri, loader);
    Cache<String, String> cache = manager.createCache("held", new TierCacheConfiguration<String, String>());
    cache.put("k", "v");
    return new WeakReference<>(loader);
  }

  @Test
  void storeByValueResolvesClassesThroughTheManagersLoader() {
    CacheManager manager = provider.getCacheManager(uri, getClass().getClassLoader());
    try {
      Cache<String, java.util.ArrayList<String>> cache = manager.createCache("by-value",
          new TierCacheConfiguration<String, java.util.ArrayList<String>>());
      java.util.ArrayList<String> value = new java.util.ArrayList<>(java.util.List.of("a", "b"));
      cache.put("k", value);
      value.add("mutated after put");
      assertThat(cache.get("k")).containsExactly("a", "b");
      cache.get("k").add("mutated after get");
      assertThat(cache.get("k")).containsExactly("a", "b");
    } finally {
      manager.close();
    }
  }
}
