package io.tiercache;

import io.tiercache.tier.UndecodableRecordException;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * The boundary where a tier's own failures ({@code TierException}, {@code SerializationException}) become the
 * JCache API's: tiers never depend on JCache, so the cache wraps what they throw in a {@link CacheException}
 * naming the cache, with the original as its cause.
 */
final class StorageFailures {

  private StorageFailures() { }

  /**
   * Runs a read-only or atomic single-key operation; if a record it met could not be decoded (the tier has
   * dropped it by then), runs it once more, so the caller sees a miss instead of an error.
   */
  static <T> T retryingUndecodable(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (UndecodableRecordException dropped) {
      return operation.get();
    }
  }

  static CacheException of(String cacheName, RuntimeException failure) {
    return new CacheException("Cache '" + cacheName + "': " + failure.getMessage(), failure);
  }
}
