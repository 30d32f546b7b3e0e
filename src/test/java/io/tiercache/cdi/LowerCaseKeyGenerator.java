package io.tiercache.cdi;

import io.tiercache.annotation.DefaultGeneratedCacheKey;
import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/** A custom key generator: names differing only in case share an entry. */
public class LowerCaseKeyGenerator implements CacheKeyGenerator {
  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    return new DefaultGeneratedCacheKey(new Object[] {
        String.valueOf(context.getKeyParameters()[0].getValue()).toLowerCase(java.util.Locale.ROOT)});
  }
}
