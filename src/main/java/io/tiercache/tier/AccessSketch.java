package io.tiercache.tier;

/**
 * How often each key was read lately, estimated in little memory: a count-min sketch of four rows of byte
 * counters (each read raises the key's counter in every row; the estimate is the smallest of the four, which
 * collisions can only raise). After a sample of reads ten times the width, every counter is halved, so old
 * popularity fades and the estimates follow the workload. Updates are deliberately not atomic: a lost
 * increment under a race skews an estimate by one, which an admission heuristic tolerates, and the read path
 * stays free of contended writes.
 */
final class AccessSketch {

  private static final int ROWS = 4;
  private static final int MAX_COUNT = 255;
  private static final long[] SEEDS = {0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L,
      0xD6E8FEB86659FD93L};

  private final byte[] counters;
  private final int mask;
  private final int sampleSize;
  private int reads; // racy on purpose, like the counters: the halving comes a few reads early or late

  /** @param expectedKeys about how many distinct keys compete; the width is the next power of two above it */
  AccessSketch(long expectedKeys) {
    int width = Integer.highestOneBit((int) Math.max(256, Math.min(expectedKeys, 1 << 21)) - 1) << 1;
    this.counters = new byte[ROWS * width];
    this.mask = width - 1;
    this.sampleSize = 10 * width;
  }

  /** Counts one read of {@code key}. */
  void record(Object key) {
    int hash = spread(key.hashCode());
    for (int row = 0; row < ROWS; row++) {
      int at = index(hash, row);
      int count = counters[at] & 0xFF;
      if (count < MAX_COUNT) {
        counters[at] = (byte) (count + 1);
      }
    }
    if (++reads >= sampleSize) {
      halve();
    }
  }

  /** Returns the estimated number of recent reads of {@code key}. */
  int frequency(Object key) {
    int hash = spread(key.hashCode());
    int least = MAX_COUNT;
    for (int row = 0; row < ROWS; row++) {
      least = Math.min(least, counters[index(hash, row)] & 0xFF);
    }
    return least;
  }

  private void halve() {
    reads = 0;
    for (int i = 0; i < counters.length; i++) {
      counters[i] = (byte) ((counters[i] & 0xFF) >>> 1);
    }
  }

  private int index(int hash, int row) {
    long mixed = (hash + SEEDS[row]) * SEEDS[row];
    return row * (mask + 1) + ((int) (mixed >>> 32) & mask);
  }

  /** Mixes a hash code's bits, so that keys whose hash codes differ only in high bits spread too. */
  static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    return h ^ (h >>> 16);
  }
}
