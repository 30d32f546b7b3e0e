package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.serialized.SerializedTier;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves entries between the tiers of a composite so that at most one copy of a key is ever at rest, and a crash
 * at any instant leaves the newest committed value findable (the {@link CompositeTier} comment says why).
 * Also the odd/even version per lock stripe that lets lock-free readers notice a move they overlapped, and the
 * rare keys a failed move and a failed undo left in two tiers, which reads settle by sequence.
 *
 * @param <K> the key type
 */
final class Moves<K> {

  private static final Logger LOG = LoggerFactory.getLogger(Moves.class);

  private final List<Slot<K>> slots;
  private final List<String> names;
  private final AtomicLongArray versions;
  /** Keys left in two tiers by a move whose undo failed too: read by sequence until they settle. */
  private final Set<K> unsettled = ConcurrentHashMap.newKeySet();
  /** Whether {@link #unsettled} may hold anything: one plain read on the read path instead of a size sum. */
  private volatile boolean anyUnsettled;

  Moves(List<Slot<K>> slots, List<String> names, int stripes) {
    this.slots = slots;
    this.names = names;
    this.versions = new AtomicLongArray(stripes);
  }

  /** Returns the stripe's version: odd while a move runs in it; changed by every move. */
  long version(int stripe) {
    return versions.get(stripe);
  }

  /** Returns true when {@code key} may be held by two tiers; then only {@link #newestCopy} reads it right. */
  boolean isUnsettled(K key) {
    return anyUnsettled && unsettled.contains(key);
  }

  /**
   * Writes the new copy in {@code target}, then deletes the old one where it was found. The caller holds the
   * key's stripe. If the delete fails the new copy is deleted again and the failure thrown: the old value
   * stays, the write did not happen.
   */
  Envelope move(Probe<K> probe, Location found, int target, Envelope replacement, long sequence, int stripe) {
    versions.incrementAndGet(stripe); // odd: lock-free readers that miss now retry under the lock
    try {
      Envelope stored = slots.get(target).write(probe, null, replacement, sequence);
      try {
        slots.get(found.index()).delete(probe, found.envelope());
      } catch (RuntimeException failure) {
        undo(probe, target, stored, failure);
        throw failure;
      }
      return stored;
    } finally {
      versions.incrementAndGet(stripe);
    }
  }

  private void undo(Probe<K> probe, int target, Envelope stored, RuntimeException failure) {
    try {
      slots.get(target).delete(probe, stored);
    } catch (RuntimeException undoFailure) {
      failure.addSuppressed(undoFailure);
      unsettled.add(probe.key); // two copies: reads pick the newer by sequence until the key settles
      anyUnsettled = true;
      LOG.error("Composite {}: a moved entry is in tiers {} and {} until it settles; reads take the newer", names,
          names.get(target), failure);
    }
  }

  /** For an unsettled key, under its stripe: the copy with the highest sequence; deletes the others if it can. */
  Location newestCopy(Probe<K> probe) {
    Location newest = Location.NOWHERE;
    for (int i = 0; i < slots.size(); i++) {
      Envelope envelope = slots.get(i).read(probe);
      if (envelope != null && (newest.envelope() == null
          || SerializedTier.sequenceOf(envelope) > SerializedTier.sequenceOf(newest.envelope()))) {
        newest = new Location(i, envelope);
      }
    }
    boolean settled = true;
    for (int i = 0; i < slots.size(); i++) {
      Envelope envelope = i == newest.index() ? null : slots.get(i).read(probe);
      if (envelope != null) {
        try {
          slots.get(i).delete(probe, envelope);
        } catch (RuntimeException stillFailing) {
          settled = false; // the read still answers with the newest copy; the next access tries again
        }
      }
    }
    if (settled) {
      unsettled.remove(probe.key);
    }
    return newest;
  }

  /** Forgets unsettled keys, after the composite cleared every tier. */
  void cleared() {
    unsettled.clear();
  }
}
