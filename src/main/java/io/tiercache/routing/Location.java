package io.tiercache.routing;

import io.tiercache.tier.Envelope;

/**
 * Where a composite found a key: the index of the tier holding it and its record, or index -1 and null.
 *
 * @param index the tier's index in probe order, or -1
 * @param envelope the record, or null
 */
record Location(int index, Envelope envelope) {

  /** The location of a key no tier holds. */
  static final Location NOWHERE = new Location(-1, null);
}
