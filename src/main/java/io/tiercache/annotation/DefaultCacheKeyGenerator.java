package io.tiercache.annotation;

import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * JSR-107's default key generator: a {@link DefaultGeneratedCacheKey} over the key parameters, which are the
 * {@code @CacheKey} parameters if the method has any, else all parameters but the {@code @CacheValue} one.
 */
public final class DefaultCacheKeyGenerator implements CacheKeyGenerator {

  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    CacheInvocationParameter[] parameters = context.getKeyParameters();
    Object[] values = new Object[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      values[i] = parameters[i].getValue();
    }
    return new DefaultGeneratedCacheKey(values);
  }
}
