package io.tiercache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The semantics of JSR-107's caching annotations (chapter 11), written once and shared by the CDI interceptors
 * and the container-free {@link CachingProxies}: {@code @CacheResult} (with {@code skipGet} and exception
 * caching), {@code @CachePut}, {@code @CacheRemove} and {@code @CacheRemoveAll}, each before or after the
 * invocation, with the exception filters that decide whether a failed invocation still changes the cache.
 */
public final class CacheAnnotationInvoker {

  /** The rest of the invocation: the method itself, or the next interceptor. */
  @FunctionalInterface
  public interface Proceed {
    /** Runs it. */
    Object proceed() throws Throwable;
  }

  private final CacheResolverFactory defaultFactory;
  private final Map<Method, MethodHolder> methods = new ConcurrentHashMap<>();

  /** @param defaultFactory the resolver factory of methods that name none */
  public CacheAnnotationInvoker(CacheResolverFactory defaultFactory) {
    this.defaultFactory = defaultFactory;
  }

  private CacheMethod details(Method method) {
    // a holder, because ConcurrentHashMap cannot hold the null of an unannotated method
    return methods.computeIfAbsent(method, m -> new MethodHolder(CacheMethod.of(m, defaultFactory))).details;
  }

  /**
   * Invokes {@code method} on {@code target} with its caching annotation applied.
   *
   * @param method the annotated method (of the implementation class, where the annotations are)
   * @param arguments the call's arguments
   * @param proceed runs the method itself
   * @return the method's result, or the cached one
   * @throws Throwable what the method threw, or a cached exception
   */
  public Object invoke(Object target, Method method, Object[] arguments, Proceed proceed) throws Throwable {
    CacheMethod details = details(method);
    if (details == null) {
      return proceed.proceed();
    }
    Invocation invocation = new Invocation(details, target, arguments);
    Annotation annotation = details.getCacheAnnotation();
    if (annotation instanceof CacheResult) {
      return result(details, invocation, (CacheResult) annotation, proceed);
    }
    if (annotation instanceof CachePut) {
      return put(details, invocation, (CachePut) annotation, proceed);
    }
    if (annotation instanceof CacheRemove) {
      CacheRemove remove = (CacheRemove) annotation;
      return change(invocation, proceed, remove.afterInvocation(), remove.evictFor(), remove.noEvictFor(),
          () -> details.cacheResolver().resolveCache(invocation).remove(key(details, invocation)));
    }
    CacheRemoveAll removeAll = (CacheRemoveAll) annotation;
    return change(invocation, proceed, removeAll.afterInvocation(), removeAll.evictFor(), removeAll.noEvictFor(),
        () -> details.cacheResolver().resolveCache(invocation).removeAll());
  }

  private static GeneratedCacheKey key(CacheMethod details, Invocation invocation) {
    return details.keyGenerator().generateCacheKey(invocation);
  }

  private static Object result(CacheMethod details, Invocation invocation, CacheResult annotation,
      Proceed proceed) throws Throwable {
    GeneratedCacheKey key = key(details, invocation);
    Cache<Object, Object> cache = details.cacheResolver().resolveCache(invocation);
    Cache<Object, Throwable> exceptions = details.exceptionCacheResolver() == null ? null
        : details.exceptionCacheResolver().resolveCache(invocation);
    if (!annotation.skipGet()) {
      if (exceptions != null) {
        Throwable cached = exceptions.get(key);
        if (cached != null) {
          throw cached;
        }
      }
      Object cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Object result;
    try {
      result = proceed.proceed();
    } catch (Throwable failure) {
      if (exceptions != null
          && matches(failure, annotation.cachedExceptions(), annotation.nonCachedExceptions())) {
        exceptions.put(key, failure);
      }
      throw failure;
    }
    if (result != null) {
      cache.put(key, result); // a null result is not cached: JCache holds no nulls
    }
    return result;
  }

  private static Object put(CacheMethod details, Invocation invocation, CachePut annotation, Proceed proceed)
      throws Throwable {
    Runnable store = () -> {
      Cache<Object, Object> cache = details.cacheResolver().resolveCache(invocation);
      GeneratedCacheKey key = key(details, invocation);
      Object value = invocation.getValueParameter().getValue();
      if (value == null) {
        cache.remove(key); // a cache cannot hold null: caching "nothing" for the key
      } else {
        cache.put(key, value);
      }
    };
    return change(invocation, proceed, annotation.afterInvocation(), annotation.cacheFor(),
        annotation.noCacheFor(), store);
  }

  /** A put or a removal, before the invocation, or after it (also after a failure the filters let through). */
  private static Object change(Invocation invocation, Proceed proceed, boolean afterInvocation,
      Class<? extends Throwable>[] include, Class<? extends Throwable>[] exclude, Runnable action)
      throws Throwable {
    if (!afterInvocation) {
      action.run();
      return proceed.proceed();
    }
    Object result;
    try {
      result = proceed.proceed();
    } catch (Throwable failure) {
      if (matches(failure, include, exclude)) {
        action.run();
      }
      throw failure;
    }
    action.run();
    return result;
  }

  /**
   * The exception filter of JSR-107: with no lists every exception matches; with an include list only its
   * types (and subtypes) do; an exclude list removes its types from whatever else matched.
   */
  static boolean matches(Throwable failure, Class<? extends Throwable>[] include,
      Class<? extends Throwable>[] exclude) {
    boolean included = include.length == 0 || instanceOfAny(failure, include);
    return included && !instanceOfAny(failure, exclude);
  }

  private static boolean instanceOfAny(Throwable failure, Class<? extends Throwable>[] types) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  private static final class MethodHolder {
    final CacheMethod details;

    MethodHolder(CacheMethod details) {
      this.details = details;
    }
  }
}
