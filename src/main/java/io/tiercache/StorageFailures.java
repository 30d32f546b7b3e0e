package io.tiercache;

import javax.cache.CacheException;

/**
 * The boundary where a tier's own failures ({@code TierException}, {@code SerializationException}) become the
 * JCache API's: tiers never depend on JCache, so the cache wraps what they throw in a {@link CacheException}
 * naming the cache, with the original as its cause.
 */
final class StorageFailures {

  private StorageFailures() { }

  static CacheException of(String cacheName, RuntimeException failure) {
    return new CacheException("Cache '" + cacheName + "': " + failure.getMessage(), failure);
  }
}
