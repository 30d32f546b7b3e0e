package io.tiercache.cdi;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheResult;

/**
 * Another implementation of {@code @CacheResult}, as an application or another library might enable: it keeps
 * results in a map of its own and counts the calls it sees.
 */
@CacheResult
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class OtherCacheResultInterceptor implements Serializable {

  private static final long serialVersionUID = 1L;

  static final AtomicInteger CALLS = new AtomicInteger();
  static final Map<List<Object>, Object> RESULTS = new ConcurrentHashMap<>();

  @AroundInvoke
  public Object intercept(InvocationContext context) throws Exception {
    CALLS.incrementAndGet();
    List<Object> key = List.of(context.getMethod().getName(), Arrays.asList(context.getParameters()));
    Object known = RESULTS.get(key);
    if (known != null) {
      return known;
    }
    Object result = context.proceed();
    RESULTS.put(key, result);
    return result;
  }
}
