package io.tiercache.tier;

import com.github.benmanes.caffeine.cache.Policy;
import java.util.Iterator;

/**
 * Decides whether a copy of a given size is worth the heap it would take, once the copies fill their budget:
 * it is, when what it saves exceeds what the copies it would push out save. A copy saves, on each read,
 * the read from its home tier: a fixed cost plus a cost per byte, both paid {@code frequency} times
 * ({@link AccessSketch}). Counting the bytes makes a hot bulky entry worth its room; counting the fixed cost
 * makes several small entries worth more than one large entry read as often, which frequency alone (what
 * Caffeine's own admission compares) does not see: with values of very different sizes, weighing by
 * frequency per byte answers more reads from the same budget.
 *
 * <p>The copies it compares against are those the budget's policy would evict first, taken in that order until
 * they free enough room. The policy's own admission still applies afterwards.
 */
final class CopyAdmission<K> {

  /**
   * The fixed cost of a read from a disk tier (lookup, call into the engine, record checks, decoding), in the
   * bytes a copy moves in the same time: about 16 KiB on the machines we measured.
   */
  static final int READ_COST_BYTES = 16 * 1024;

  /**
   * The most copies one admission looks at (under the policy's lock, on a reader's thread); a large candidate
   * over many small copies is judged by the first ones, taken as a sample of the rest.
   */
  static final int MAX_VICTIMS = 64;

  private final AccessSketch sketch;
  private final Policy.Eviction<K, Envelope> eviction;

  CopyAdmission(AccessSketch sketch, Policy.Eviction<K, Envelope> eviction) {
    this.sketch = sketch;
    this.eviction = eviction;
  }

  /** Counts a read of {@code key}, hit or miss. */
  void recordRead(Object key) {
    sketch.record(key);
  }

  /** Returns about how often {@code key} was read lately. */
  int frequency(Object key) {
    return sketch.frequency(key);
  }

  /** Returns true when a copy of {@code key} weighing {@code weight} should be kept. */
  boolean admits(Object key, int weight) {
    long room = eviction.getMaximum() - eviction.weightedSize().orElse(0);
    if (weight <= room) {
      return true;
    }
    if (weight > eviction.getMaximum()) {
      return false;
    }
    long needed = weight - room;
    double saved = saving(sketch.frequency(key), weight);
    return eviction.coldest(entries -> {
      double displaced = 0;
      long freed = 0;
      int seen = 0;
      for (Iterator<Policy.CacheEntry<K, Envelope>> it = entries.iterator(); it.hasNext() && freed < needed; ) {
        Policy.CacheEntry<K, Envelope> victim = it.next();
        freed += victim.weight();
        displaced += saving(sketch.frequency(victim.getKey()), victim.weight());
        if (displaced >= saved) {
          return false;
        }
        if (++seen == MAX_VICTIMS && freed < needed) {
          // the walk holds the policy's lock: judge the rest by the sample, as if it saved as much per byte
          return displaced * ((double) needed / freed) < saved;
        }
      }
      return true;
    });
  }

  private static double saving(int frequency, int weight) {
    return (double) frequency * (READ_COST_BYTES + (long) weight);
  }
}
