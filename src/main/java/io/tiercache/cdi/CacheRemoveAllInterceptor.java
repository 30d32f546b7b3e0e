package io.tiercache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.annotation.CacheRemoveAll;

/** Applies {@code @CacheRemoveAll} to CDI beans; the semantics live in {@link Interception}. */
@CacheRemoveAll
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
public class CacheRemoveAllInterceptor implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject
  CacheAnnotationsExtension extension;

  /**
   * Intercepts a call.
   *
   * @param context the call
   * @return the method's or the cache's result
   * @throws Exception what the method threw
   */
  @AroundInvoke
  public Object intercept(InvocationContext context) throws Exception {
    return extension.active() ? Interception.intercept(context) : context.proceed();
  }
}
