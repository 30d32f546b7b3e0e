package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per tier of a composite, the lookups it answered and the lookups that reached it and missed, and
 * the lookups no tier answered. A lookup that misses tier 0 and hits tier 1 is a miss of tier 0 and a hit of
 * tier 1: each tier's hit ratio is that of the reads it actually saw.
 */
final class Lookups {

  private final LongAdder[] hits;
  private final LongAdder[] tierMisses;
  private final LongAdder misses = new LongAdder();

  Lookups(int tiers) {
    hits = new LongAdder[tiers];
    tierMisses = new LongAdder[tiers];
    for (int i = 0; i < tiers; i++) {
      hits[i] = new LongAdder();
      tierMisses[i] = new LongAdder();
    }
  }

  /**
   * Counts a lookup that probed the tiers in order up to {@code index} (the tier that answered, or the last
   * tier when none did) and returns its record.
   */
  Envelope probed(int index, Envelope envelope) {
    for (int i = 0; i < index; i++) {
      tierMisses[i].increment();
    }
    return counted(index, envelope);
  }

  /** Counts the outcome of a lookup in tier {@code index} alone (the tier its key routes to). */
  Envelope counted(int index, Envelope envelope) {
    if (envelope == null) {
      tierMisses[index].increment();
      misses.increment();
    } else {
      hits[index].increment();
    }
    return envelope;
  }

  /** Counts a lookup that probed every tier and found nothing. */
  void missed() {
    for (LongAdder tier : tierMisses) {
      tier.increment();
    }
    misses.increment();
  }

  /** Counts a batch lookup in tier {@code index}: {@code asked} keys, {@code found} of them there. */
  void batch(int index, int asked, int found) {
    hits[index].add(found);
    tierMisses[index].add(asked - found);
  }

  /** Counts keys of a batch lookup that no tier held. */
  void batchMissed(int count) {
    misses.add(count);
  }

  long hits(int index) {
    return hits[index].sum();
  }

  long misses(int index) {
    return tierMisses[index].sum();
  }

  long misses() {
    return misses.sum();
  }
}
