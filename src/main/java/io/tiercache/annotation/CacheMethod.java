package io.tiercache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * What one annotated method needs at every call, worked out once: its caching annotation (on the method, else
 * on its class), the cache name (the annotation's, else {@code @CacheDefaults}', else the JSR-107 default
 * {@code package.Class.method(package.Type,...)}), the key generator and the resolvers, and which parameters are
 * keys and which is the value.
 */
final class CacheMethod implements CacheMethodDetails<Annotation> {

  private final Method method;
  private final Set<Annotation> annotations;
  private final Annotation cacheAnnotation;
  private final String cacheName;
  private final CacheKeyGenerator keyGenerator;
  private final CacheResolver cacheResolver;
  private final CacheResolver exceptionCacheResolver;
  private final int[] keyPositions;
  private final int valuePosition;

  private CacheMethod(Method method, Annotation cacheAnnotation, CacheDefaults defaults,
      CacheResolverFactory defaultFactory) {
    this.method = method;
    this.annotations = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(method.getAnnotations())));
    this.cacheAnnotation = cacheAnnotation;
    this.cacheName = cacheName(method, cacheAnnotation, defaults);
    this.keyGenerator = instantiate(keyGeneratorClass(cacheAnnotation, defaults), DefaultCacheKeyGenerator.class);
    CacheResolverFactory factory = resolverFactoryClass(cacheAnnotation, defaults) == CacheResolverFactory.class
        ? defaultFactory : instantiate(resolverFactoryClass(cacheAnnotation, defaults), null);
    this.cacheResolver = factory.getCacheResolver(this);
    this.exceptionCacheResolver = cacheAnnotation instanceof CacheResult
        && !((CacheResult) cacheAnnotation).exceptionCacheName().isEmpty()
        ? factory.getExceptionCacheResolver(asResultDetails()) : null;
    Annotation[][] parameterAnnotations = method.getParameterAnnotations();
    int value = -1;
    List<Integer> marked = new ArrayList<>();
    for (int i = 0; i < parameterAnnotations.length; i++) {
      for (Annotation annotation : parameterAnnotations[i]) {
        if (annotation instanceof CacheKey) {
          marked.add(i);
        } else if (annotation instanceof CacheValue) {
          value = i;
        }
      }
    }
    if (cacheAnnotation instanceof CachePut && value < 0) {
      throw new IllegalStateException("@CachePut method " + method + " has no @CacheValue parameter");
    }
    this.valuePosition = value;
    if (marked.isEmpty()) {
      for (int i = 0; i < parameterAnnotations.length; i++) {
        if (i != value) {
          marked.add(i);
        }
      }
    }
    this.keyPositions = marked.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Returns the metadata of {@code method}, or null when neither it nor its class has a caching annotation. */
  static CacheMethod of(Method method, CacheResolverFactory defaultFactory) {
    Annotation annotation = cachingAnnotation(method.getAnnotations());
    if (annotation == null) {
      annotation = cachingAnnotation(method.getDeclaringClass().getAnnotations());
    }
    if (annotation == null) {
      return null;
    }
    return new CacheMethod(method, annotation, method.getDeclaringClass().getAnnotation(CacheDefaults.class),
        defaultFactory);
  }

  private static Annotation cachingAnnotation(Annotation[] candidates) {
    Annotation found = null;
    for (Annotation annotation : candidates) {
      if (annotation instanceof CacheResult || annotation instanceof CachePut || annotation instanceof CacheRemove
          || annotation instanceof CacheRemoveAll) {
        if (found != null) {
          throw new IllegalStateException("More than one caching annotation: " + found + " and " + annotation);
        }
        found = annotation;
      }
    }
    return found;
  }

  private static String cacheName(Method method, Annotation annotation, CacheDefaults defaults) {
    String name = "";
    if (annotation instanceof CacheResult) {
      name = ((CacheResult) annotation).cacheName();
    } else if (annotation instanceof CachePut) {
      name = ((CachePut) annotation).cacheName();
    } else if (annotation instanceof CacheRemove) {
      name = ((CacheRemove) annotation).cacheName();
    } else if (annotation instanceof CacheRemoveAll) {
      name = ((CacheRemoveAll) annotation).cacheName();
    }
    if (name.isEmpty() && defaults != null) {
      name = defaults.cacheName();
    }
    if (name.isEmpty()) {
      StringBuilder generated = new StringBuilder(method.getDeclaringClass().getName()).append('.')
          .append(method.getName()).append('(');
      Class<?>[] types = method.getParameterTypes();
      for (int i = 0; i < types.length; i++) {
        generated.append(i == 0 ? "" : ",").append(types[i].getName());
      }
      name = generated.append(')').toString();
    }
    return name;
  }

  private static Class<? extends CacheKeyGenerator> keyGeneratorClass(Annotation annotation, CacheDefaults defaults) {
    Class<? extends CacheKeyGenerator> type = CacheKeyGenerator.class;
    if (annotation instanceof CacheResult) {
      type = ((CacheResult) annotation).cacheKeyGenerator();
    } else if (annotation instanceof CachePut) {
      type = ((CachePut) annotation).cacheKeyGenerator();
    } else if (annotation instanceof CacheRemove) {
      type = ((CacheRemove) annotation).cacheKeyGenerator();
    }
    if (type == CacheKeyGenerator.class && defaults != null) {
      type = defaults.cacheKeyGenerator();
    }
    return type;
  }

  private static Class<? extends CacheResolverFactory> resolverFactoryClass(Annotation annotation,
      CacheDefaults defaults) {
    Class<? extends CacheResolverFactory> type = CacheResolverFactory.class;
    if (annotation instanceof CacheResult) {
      type = ((CacheResult) annotation).cacheResolverFactory();
    } else if (annotation instanceof CachePut) {
      type = ((CachePut) annotation).cacheResolverFactory();
    } else if (annotation instanceof CacheRemove) {
      type = ((CacheRemove) annotation).cacheResolverFactory();
    } else if (annotation instanceof CacheRemoveAll) {
      type = ((CacheRemoveAll) annotation).cacheResolverFactory();
    }
    if (type == CacheResolverFactory.class && defaults != null) {
      type = defaults.cacheResolverFactory();
    }
    return type;
  }

  /** Instantiates a user class by its no-argument constructor; the interface itself means the default. */
  private static <T> T instantiate(Class<? extends T> type, Class<? extends T> defaultType) {
    Class<? extends T> chosen = type.isInterface() ? defaultType : type;
    try {
      java.lang.reflect.Constructor<? extends T> constructor = chosen.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("Cannot instantiate " + chosen.getName()
          + ": it needs an accessible no-argument constructor", e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CacheMethodDetails<CacheResult> asResultDetails() {
    return (CacheMethodDetails) this;
  }

  @Override
  public Method getMethod() {
    return method;
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return annotations;
  }

  @Override
  public Annotation getCacheAnnotation() {
    return cacheAnnotation;
  }

  @Override
  public String getCacheName() {
    return cacheName;
  }

  CacheKeyGenerator keyGenerator() {
    return keyGenerator;
  }

  CacheResolver cacheResolver() {
    return cacheResolver;
  }

  CacheResolver exceptionCacheResolver() {
    return exceptionCacheResolver;
  }

  int[] keyPositions() {
    return keyPositions;
  }

  int valuePosition() {
    return valuePosition;
  }
}
