package io.tiercache.tier.heap;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.tier.Envelope;
import java.util.function.ToIntBiFunction;

/**
 * The capacity of a heap tier: unbounded, a maximum number of entries, or a maximum total weight where each
 * entry's weight comes from a weigher of its key and value.
 */
public final class HeapBound {

  private static final HeapBound UNBOUNDED = new HeapBound(-1, -1, null);

  private final long maximumSize;
  private final long maximumWeight;
  private final ToIntBiFunction<Object, Object> weigher;

  private HeapBound(long maximumSize, long maximumWeight, ToIntBiFunction<Object, Object> weigher) {
    this.maximumSize = maximumSize;
    this.maximumWeight = maximumWeight;
    this.weigher = weigher;
  }

  /** No bound: the tier grows until entries are removed or expire. */
  public static HeapBound unbounded() {
    return UNBOUNDED;
  }

  /** At most {@code maximumSize} entries. */
  public static HeapBound entries(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("heap maximum size must be >= 0, was " + maximumSize);
    }
    return new HeapBound(maximumSize, -1, null);
  }

  /** At most {@code maximumWeight} in total, weighing each entry with {@code weigher} (key, value). */
  public static HeapBound weight(long maximumWeight, ToIntBiFunction<Object, Object> weigher) {
    if (maximumWeight < 0) {
      throw new IllegalArgumentException("heap maximum weight must be >= 0, was " + maximumWeight);
    }
    if (weigher == null) {
      throw new NullPointerException("a weight bound needs a weigher");
    }
    return new HeapBound(-1, maximumWeight, weigher);
  }

  /** Returns the bound in entries, or -1 when the bound is a weight or there is none. */
  public long maximumEntries() {
    return maximumSize;
  }

  void applyTo(Caffeine<Object, Object> builder) {
    if (maximumSize >= 0) {
      builder.maximumSize(maximumSize);
    } else if (maximumWeight >= 0) {
      builder.maximumWeight(maximumWeight)
          .weigher((Object key, Object envelope) -> weigher.applyAsInt(key, ((Envelope) envelope).value()));
    }
  }

  @Override
  public String toString() {
    if (maximumSize >= 0) {
      return "maximumSize=" + maximumSize;
    }
    return maximumWeight >= 0 ? "maximumWeight=" + maximumWeight : "unbounded";
  }
}
