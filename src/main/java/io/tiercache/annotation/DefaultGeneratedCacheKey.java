package io.tiercache.annotation;

import java.io.Serializable;
import java.util.Arrays;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The key the default generator builds: the key parameters' values, compared deeply (arrays by content), so
 * two invocations with equal arguments find the same entry.
 */
public final class DefaultGeneratedCacheKey implements GeneratedCacheKey, Serializable {

  private static final long serialVersionUID = 1L;

  private final Object[] parameters;
  private final int hashCode;

  /** @param parameters the key parameters' values, in declaration order */
  public DefaultGeneratedCacheKey(Object[] parameters) {
    this.parameters = parameters.clone();
    this.hashCode = Arrays.deepHashCode(this.parameters);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof DefaultGeneratedCacheKey
        && hashCode == ((DefaultGeneratedCacheKey) o).hashCode
        && Arrays.deepEquals(parameters, ((DefaultGeneratedCacheKey) o).parameters));
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public String toString() {
    return "DefaultGeneratedCacheKey" + Arrays.deepToString(parameters);
  }
}
