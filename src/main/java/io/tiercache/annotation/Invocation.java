package io.tiercache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyInvocationContext;

/** One call of an annotated method, as key generators and resolvers see it. */
final class Invocation implements CacheKeyInvocationContext<Annotation> {

  private final CacheMethod details;
  private final Object target;
  private final CacheInvocationParameter[] all;

  Invocation(CacheMethod details, Object target, Object[] arguments) {
    this.details = details;
    this.target = target;
    Method method = details.getMethod();
    Class<?>[] types = method.getParameterTypes();
    Annotation[][] annotations = method.getParameterAnnotations();
    this.all = new CacheInvocationParameter[types.length];
    for (int i = 0; i < types.length; i++) {
      all[i] = new Parameter(types[i], arguments == null ? null : arguments[i], annotations[i], i);
    }
  }

  @Override
  public Object getTarget() {
    return target;
  }

  @Override
  public CacheInvocationParameter[] getAllParameters() {
    return all.clone();
  }

  @Override
  public CacheInvocationParameter[] getKeyParameters() {
    int[] positions = details.keyPositions();
    CacheInvocationParameter[] keys = new CacheInvocationParameter[positions.length];
    for (int i = 0; i < positions.length; i++) {
      keys[i] = all[positions[i]];
    }
    return keys;
  }

  @Override
  public CacheInvocationParameter getValueParameter() {
    return details.valuePosition() < 0 ? null : all[details.valuePosition()];
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A cache invocation context cannot be unwrapped to " + type.getName());
  }

  @Override
  public Method getMethod() {
    return details.getMethod();
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return details.getAnnotations();
  }

  @Override
  public Annotation getCacheAnnotation() {
    return details.getCacheAnnotation();
  }

  @Override
  public String getCacheName() {
    return details.getCacheName();
  }

  /** One parameter of the call. */
  private static final class Parameter implements CacheInvocationParameter {
    private final Class<?> type;
    private final Object value;
    private final Set<Annotation> annotations;
    private final int position;

    Parameter(Class<?> type, Object value, Annotation[] annotations, int position) {
      this.type = type;
      this.value = value;
      this.annotations = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(annotations)));
      this.position = position;
    }

    @Override
    public Class<?> getRawType() {
      return type;
    }

    @Override
    public Object getValue() {
      return value;
    }

    @Override
    public Set<Annotation> getAnnotations() {
      return annotations;
    }

    @Override
    public int getParameterPosition() {
      return position;
    }
  }
}
