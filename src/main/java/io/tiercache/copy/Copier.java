package io.tiercache.copy;

/**
 * Makes the independent copies that store-by-value requires: a cache stores a copy of what {@code put}
 * received and hands out a copy of what it stores, so callers never share mutable state with the cache.
 *
 * <p>A copy must be {@code equals} to its original. Implementations are thread-safe.
 */
public interface Copier {

  /**
   * Returns a copy of {@code object} that shares no mutable state with it; immutable objects may be returned
   * as they are.
   *
   * @param object the object to copy; null gives null
   * @param classLoader the cache's class loader, used where the copy has to resolve classes by name
   * @throws IllegalArgumentException if the object cannot be copied, naming its class
   */
  <T> T copy(T object, ClassLoader classLoader);

  /** Returns the copier of store-by-reference caches, which returns every object as it is. */
  static Copier identity() {
    return IdentityCopier.INSTANCE;
  }
}
