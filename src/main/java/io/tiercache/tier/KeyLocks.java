package io.tiercache.tier;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped per-key locks for tiers whose engine has no atomic read-modify-write of its own. Two keys may
 * share a stripe, which only costs contention, never correctness. Reentrant, so a remapper may read its
 * own key.
 */
public final class KeyLocks {

  private final ReentrantLock[] stripes;
  private final int mask;

  /** @param concurrency the least number of stripes; rounded up to a power of two */
  public KeyLocks(int concurrency) {
    int size = Integer.highestOneBit(Math.max(1, concurrency - 1)) << 1;
    stripes = new ReentrantLock[size];
    for (int i = 0; i < size; i++) {
      stripes[i] = new ReentrantLock();
    }
    mask = size - 1;
  }

  /** Returns the lock of the stripe {@code key} falls in. */
  public ReentrantLock lockFor(Object key) {
    int hash = key.hashCode();
    hash ^= (hash >>> 16);
    return stripes[hash & mask];
  }

  /** Returns the lock of the stripe of a key's serialized form, so every path to a record shares one lock. */
  public ReentrantLock lockForBytes(byte[] keyBytes) {
    int hash = java.util.Arrays.hashCode(keyBytes);
    hash ^= (hash >>> 16);
    return stripes[hash & mask];
  }

  /** Returns the index of the stripe {@code key} falls in. */
  public int stripeOf(Object key) {
    int hash = key.hashCode();
    hash ^= (hash >>> 16);
    return hash & mask;
  }

  /** Returns the lock of stripe {@code index}. */
  public ReentrantLock stripe(int index) {
    return stripes[index];
  }

  /** Returns the number of stripes. */
  public int size() {
    return stripes.length;
  }
}
