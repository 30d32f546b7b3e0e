package io.tiercache.cdi;

import io.tiercache.annotation.CacheAnnotationInvoker;
import io.tiercache.annotation.DefaultCacheResolverFactory;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the four interceptors share: one {@link CacheAnnotationInvoker} whose default caches come from the
 * default provider's default cache manager, and a count of intercepted calls, which monitoring (and the TCK
 * run's guard) can read to prove that interception is really active.
 */
public final class Interception {

  private static final AtomicLong INTERCEPTED = new AtomicLong();
  private static final CacheAnnotationInvoker INVOKER = new CacheAnnotationInvoker(new DefaultCacheResolverFactory());

  private Interception() { }

  static Object intercept(InvocationContext context) throws Exception {
    INTERCEPTED.incrementAndGet();
    try {
      return INVOKER.invoke(context.getTarget(), context.getMethod(), context.getParameters(), context::proceed);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable other) {
      throw new UndeclaredThrowableException(other);
    }
  }

  /** Returns how many calls the caching interceptors have intercepted in this JVM. */
  public static long interceptedCalls() {
    return INTERCEPTED.get();
  }
}
