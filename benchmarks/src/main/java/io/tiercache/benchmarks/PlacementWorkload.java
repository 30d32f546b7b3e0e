package io.tiercache.benchmarks;

import java.util.Random;

/**
 * The data and the access sequence of {@link PlacementBenchmark}: keys 0..n-1 with a fixed value size each
 * (log-uniform between 100 B and 1 MiB, so most values are small and most bytes are in large ones), a Zipf(0.99)
 * sequence of keys in which the popular keys are spread over every size, and one write per ten operations.
 */
final class PlacementWorkload {

  static final int SEQUENCE = 1 << 20;
  private static final int SMALLEST = 100;
  private static final int LARGEST = 1 << 20;

  private final int[] sizes;
  private final int[] sequence;
  private final boolean[] writes;
  private final Integer[] keys;
  private final long totalBytes;
  long reads;
  long misses;

  /** @param dataBytes how many bytes of values the data set holds (about) */
  PlacementWorkload(long dataBytes, long seed) {
    Random random = new Random(seed);
    java.util.List<Integer> chosen = new java.util.ArrayList<>();
    long total = 0;
    while (total < dataBytes) {
      int size = (int) Math.round(SMALLEST * Math.pow((double) LARGEST / SMALLEST, random.nextDouble()));
      chosen.add(size);
      total += size;
    }
    this.sizes = chosen.stream().mapToInt(Integer::intValue).toArray();
    this.totalBytes = total;
    // Zipf ranks mapped to keys at random: popularity does not follow size
    int[] ranks = Sequences.zipf(sizes.length, SEQUENCE, 0.99);
    int[] shuffled = new int[sizes.length];
    for (int i = 0; i < shuffled.length; i++) {
      shuffled[i] = i;
    }
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = swap;
    }
    this.sequence = new int[SEQUENCE];
    this.writes = new boolean[SEQUENCE];
    for (int i = 0; i < SEQUENCE; i++) {
      sequence[i] = shuffled[ranks[i]];
      writes[i] = random.nextInt(10) == 0;
    }
    this.keys = new Integer[sizes.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
    }
  }

  /** Returns how many keys there are. */
  int keys() {
    return sizes.length;
  }

  /** Returns the bytes of all values together. */
  long totalBytes() {
    return totalBytes;
  }

  /** A value of key {@code k}: its size, cut from {@link #TEXT} at a place of its own, its key in front. */
  byte[] value(int k) {
    byte[] value = new byte[sizes[k]];
    System.arraycopy(TEXT, (k * 7919) % (TEXT.length - LARGEST), value, 0, value.length);
    for (int i = 0; i < Math.min(4, value.length); i++) {
      value[i] = (byte) (k >>> (8 * i));
    }
    return value;
  }

  /**
   * Bytes that compress about as well as typical serialized data (2.4:1 with LZ4): words of a small random
   * vocabulary. A constant fill would compress to almost nothing and flatter every subject that compresses
   * (RocksDB) against those that do not (MapDB, Ehcache).
   */
  private static final byte[] TEXT = text(2 * LARGEST, 99);

  private static byte[] text(int length, long seed) {
    Random random = new Random(seed);
    byte[][] words = new byte[512][];
    for (int w = 0; w < words.length; w++) {
      words[w] = new byte[3 + random.nextInt(9)];
      for (int i = 0; i < words[w].length; i++) {
        words[w][i] = (byte) ('a' + random.nextInt(26));
      }
    }
    byte[] text = new byte[length];
    int at = 0;
    while (at < length) {
      byte[] word = words[random.nextInt(words.length)];
      int n = Math.min(word.length, length - at);
      System.arraycopy(word, 0, text, at, n);
      at += n;
      if (at < length) {
        text[at++] = ' ';
      }
    }
    return text;
  }

  /** Puts every key once. */
  void load(Subject store) {
    for (int k = 0; k < sizes.length; k++) {
      store.put(keys[k], value(k));
    }
  }

  /** Runs operation {@code i} of the sequence (modulo its length). */
  Object step(Subject store, int i) {
    int at = i & (SEQUENCE - 1);
    int k = sequence[at];
    if (writes[at]) {
      byte[] value = value(k);
      store.put(keys[k], value);
      return value;
    }
    Object found = store.get(keys[k]);
    reads++;
    if (found == null) {
      misses++;
      byte[] value = value(k);
      store.put(keys[k], value);
      return value;
    }
    return found;
  }
}
