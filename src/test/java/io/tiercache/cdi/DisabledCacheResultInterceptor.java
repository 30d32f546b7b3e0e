package io.tiercache.cdi;

import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.annotation.CacheResult;

/** An interceptor for {@code @CacheResult} that is discovered but not enabled: no priority, no beans.xml entry. */
@CacheResult
@Interceptor
public class DisabledCacheResultInterceptor implements Serializable {

  private static final long serialVersionUID = 1L;

  @AroundInvoke
  public Object intercept(InvocationContext context) throws Exception {
    throw new AssertionError("a disabled interceptor ran");
  }
}
