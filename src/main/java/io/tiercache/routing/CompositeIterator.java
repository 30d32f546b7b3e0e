package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Iterates a composite tier by tier. An entry is returned from the first tier, in probe order, that holds it,
 * so an entry seen in two tiers while it moves is returned once. Like any weakly consistent iterator it may
 * miss an entry that moves into a tier it has already passed.
 *
 * @param <K> the key type
 */
final class CompositeIterator<K> implements Iterator<Map.Entry<K, Envelope>> {

  private final List<Tier<K>> tiers;
  private int tier = -1;
  private Iterator<Map.Entry<K, Envelope>> current = Collections.emptyIterator();
  private Map.Entry<K, Envelope> next;

  CompositeIterator(List<Tier<K>> tiers) {
    this.tiers = tiers;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      while (!current.hasNext()) {
        if (++tier >= tiers.size()) {
          return false;
        }
        current = tiers.get(tier).iterator();
      }
      Map.Entry<K, Envelope> candidate = current.next();
      if (!heldByEarlierTier(candidate.getKey())) {
        next = candidate;
      }
    }
    return true;
  }

  private boolean heldByEarlierTier(K key) {
    for (int i = 0; i < tier; i++) {
      if (tiers.get(i).get(key) != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Map.Entry<K, Envelope> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Map.Entry<K, Envelope> entry = next;
    next = null;
    return entry;
  }
}
