package io.tiercache.benchmarks;

import java.util.Random;

/** Pre-computed key index sequences, so measuring draws no random numbers. */
final class Sequences {

  private Sequences() { }

  static int[] uniform(int keys, int length) {
    Random random = new Random(7);
    int[] sequence = new int[length];
    for (int i = 0; i < length; i++) {
      sequence[i] = random.nextInt(keys);
    }
    return sequence;
  }

  /** Zipfian ranks (rank 0 the most popular), shuffled onto keys so popularity is not key order. */
  static int[] zipf(int keys, int length, double exponent) {
    double[] cumulative = new double[keys];
    double sum = 0;
    for (int rank = 0; rank < keys; rank++) {
      sum += 1.0 / Math.pow(rank + 1, exponent);
      cumulative[rank] = sum;
    }
    int[] keyOfRank = new int[keys];
    for (int i = 0; i < keys; i++) {
      keyOfRank[i] = i;
    }
    Random random = new Random(11);
    for (int i = keys - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = keyOfRank[i];
      keyOfRank[i] = keyOfRank[j];
      keyOfRank[j] = swap;
    }
    int[] sequence = new int[length];
    for (int i = 0; i < length; i++) {
      double target = random.nextDouble() * sum;
      int low = 0;
      int high = keys - 1;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (cumulative[middle] < target) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      sequence[i] = keyOfRank[low];
    }
    return sequence;
  }
}
