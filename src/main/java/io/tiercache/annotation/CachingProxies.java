package io.tiercache.annotation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * JCache annotations without a container: wraps an implementation of an interface in a dynamic proxy that
 * applies the {@code @CacheResult}, {@code @CachePut}, {@code @CacheRemove} and {@code @CacheRemoveAll}
 * annotations of the implementation's methods (or of its class), with the same semantics as the CDI
 * interceptors.
 *
 * <pre>{@code
 * BookService books = CachingProxies.create(BookService.class, new DatabaseBookService(), cacheManager);
 * books.find("isbn-1");   // runs the method
 * books.find("isbn-1");   // answered by the cache "books"
 * }</pre>
 */
public final class CachingProxies {

  private static final Map<CacheManager, CacheAnnotationInvoker> INVOKERS = new ConcurrentHashMap<>();

  private CachingProxies() { }

  /** Wraps {@code implementation}, with caches from the default provider's default cache manager. */
  public static <T> T create(Class<T> type, T implementation) {
    return create(type, implementation, Caching.getCachingProvider().getCacheManager());
  }

  /**
   * Wraps {@code implementation}, finding and creating the annotations' caches in {@code cacheManager}.
   *
   * @param type the interface the proxy implements
   * @throws IllegalArgumentException if {@code type} is not an interface
   */
  public static <T> T create(Class<T> type, T implementation, CacheManager cacheManager) {
    Objects.requireNonNull(implementation, "implementation");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface: a dynamic proxy can only"
          + " implement interfaces (use CDI for classes)");
    }
    CacheAnnotationInvoker invoker = INVOKERS.computeIfAbsent(cacheManager,
        manager -> new CacheAnnotationInvoker(new DefaultCacheResolverFactory(manager)));
    InvocationHandler handler = new Handler(implementation, invoker);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** Routes each call to the implementation's method, through the invoker when it is annotated. */
  private static final class Handler implements InvocationHandler {
    private final Object implementation;
    private final CacheAnnotationInvoker invoker;
    private final Map<Method, Method> implementationMethods = new ConcurrentHashMap<>();

    Handler(Object implementation, CacheAnnotationInvoker invoker) {
      this.implementation = implementation;
      this.invoker = invoker;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(implementation, arguments);
      }
      Method target = implementationMethods.computeIfAbsent(method, this::implementationMethod);
      return invoker.invoke(implementation, target, arguments, () -> {
        try {
          return target.invoke(implementation, arguments);
        } catch (InvocationTargetException e) {
          throw e.getCause(); // the method's own exception, not reflection's wrapper
        }
      });
    }

    private Method implementationMethod(Method interfaceMethod) {
      try {
        Method found = implementation.getClass().getMethod(interfaceMethod.getName(),
            interfaceMethod.getParameterTypes());
        found.setAccessible(true);
        return found;
      } catch (NoSuchMethodException | RuntimeException e) {
        return interfaceMethod;
      }
    }
  }
}
