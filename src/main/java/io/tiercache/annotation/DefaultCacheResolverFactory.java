package io.tiercache.annotation;

import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;
import java.util.function.Supplier;

/**
 * JSR-107's default resolver factory: finds the named cache in a cache manager (the default one of the
 * default provider, unless given another), creating it with a default configuration when it does not exist.
 */
public final class DefaultCacheResolverFactory implements CacheResolverFactory {

  private final Supplier<CacheManager> cacheManager;

  /**
   * Uses {@code Caching.getCachingProvider().getCacheManager()}, asked again at each call, so a default manager
   * that was closed is replaced by the provider's new one.
   */
  public DefaultCacheResolverFactory() {
    this.cacheManager = () -> Caching.getCachingProvider().getCacheManager();
  }

  /** @param cacheManager where caches are found and created */
  public DefaultCacheResolverFactory(CacheManager cacheManager) {
    this.cacheManager = () -> cacheManager;
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    return resolverFor(details.getCacheName());
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    String name = details.getCacheAnnotation().exceptionCacheName();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Method " + details.getMethod() + " has no exceptionCacheName");
    }
    return resolverFor(name);
  }

  private CacheResolver resolverFor(String cacheName) {
    return new NamedCacheResolver(cacheManager, cacheName);
  }

  /**
   * Finds its cache by name on every invocation (a map lookup), so a cache destroyed and re-created, or created
   * by the application after the method was first called, is the one used.
   */
  private static final class NamedCacheResolver implements CacheResolver {
    private final Supplier<CacheManager> managers;
    private final String cacheName;

    NamedCacheResolver(Supplier<CacheManager> cacheManager, String cacheName) {
      this.managers = cacheManager;
      this.cacheName = cacheName;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> resolveCache(javax.cache.annotation.CacheInvocationContext<? extends Annotation> context) {
      CacheManager cacheManager = managers.get();
      Cache<Object, Object> cache = cacheManager.getCache(cacheName);
      if (cache == null) {
        try {
          cache = cacheManager.createCache(cacheName, new MutableConfiguration<>());
        } catch (javax.cache.CacheException raced) {
          cache = cacheManager.getCache(cacheName); // another thread created it first
          if (cache == null) {
            throw raced;
          }
        }
      }
      return (Cache<K, V>) cache;
    }
  }
}
