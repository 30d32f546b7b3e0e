package io.tiercache.tier;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped per-key locks for tiers whose engine has no atomic read-modify-write of its own. Two keys may
 * share a stripe, which only costs contention, never correctness. Reentrant, so a remapper may read its
 * own key. A composite shares one instance with the byte-storing tiers it combines: holding a key's stripe
 * in the composite then also excludes those tiers' own writers and evictions of that key, and the tiers'
 * re-entry costs no second lock.
 *
 * <p>Stripes are chosen by the key object's {@code hashCode} (by content for arrays): equal keys always share
 * a stripe, and so do their serialized forms, since serializers give equal bytes for equal keys.
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
    return stripes[stripeOf(key)];
  }

  /** Arrays hash by identity, but byte tiers find them by content: their stripe follows their content too. */
  private static int hash(Object key) {
    if (key.getClass().isArray()) {
      return key instanceof byte[] ? java.util.Arrays.hashCode((byte[]) key)
          : java.util.Arrays.deepHashCode(new Object[] {key});
    }
    return key.hashCode();
  }

  /** Returns the index of the stripe {@code key} falls in. */
  public int stripeOf(Object key) {
    int hash = hash(key);
    hash ^= (hash >>> 16);
    return hash & mask;
  }

  /** Returns the lock of the stripe of raw key bytes that no longer decode into a key (for evicting them). */
  public ReentrantLock lockForUndecodable(byte[] keyBytes) {
    int hash = java.util.Arrays.hashCode(keyBytes);
    return stripes[(hash ^ (hash >>> 16)) & mask];
  }

  /** Returns the lock of stripe {@code index}. */
  public ReentrantLock stripe(int index) {
    return stripes[index];
  }

  /** Takes every stripe, in order, to exclude every writer (for a clear); undo with {@link #unlockAll}. */
  public void lockAll() {
    for (ReentrantLock stripe : stripes) {
      stripe.lock();
    }
  }

  /** Releases what {@link #lockAll} took. */
  public void unlockAll() {
    for (int i = stripes.length - 1; i >= 0; i--) {
      stripes[i].unlock();
    }
  }

  /** Returns the number of stripes. */
  public int size() {
    return stripes.length;
  }
}
