package io.tiercache.cdi;

import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;

/** A custom resolver factory: every method it serves uses the cache "resolved-by-factory". */
public class FixedCacheResolverFactory implements CacheResolverFactory {

  static final String CACHE = "resolved-by-factory";

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    return new CacheResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
        CacheManager manager = Caching.getCachingProvider().getCacheManager();
        Cache<Object, Object> cache = manager.getCache(CACHE);
        return (Cache<K, V>) (cache != null ? cache : manager.createCache(CACHE, new MutableConfiguration<>()));
      }
    };
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    throw new UnsupportedOperationException("no exception cache here");
  }
}
