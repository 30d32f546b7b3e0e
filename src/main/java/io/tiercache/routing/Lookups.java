package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import java.util.concurrent.atomic.LongAdder;

/** Counts, per tier of a composite, the lookups it answered, and the lookups no tier answered. */
final class Lookups {

  private final LongAdder[] hits;
  private final LongAdder misses = new LongAdder();

  Lookups(int tiers) {
    hits = new LongAdder[tiers];
    for (int i = 0; i < tiers; i++) {
      hits[i] = new LongAdder();
    }
  }

  /** Counts a lookup's outcome and returns its record. */
  Envelope counted(int index, Envelope envelope) {
    if (envelope == null) {
      misses.increment();
    } else {
      hits[index].increment();
    }
    return envelope;
  }

  /** Counts a lookup no tier answered. */
  void missed() {
    misses.increment();
  }

  long hits(int index) {
    return hits[index].sum();
  }

  long misses() {
    return misses.sum();
  }
}
