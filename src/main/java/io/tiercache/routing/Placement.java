package io.tiercache.routing;

import io.tiercache.serialization.KryoFactory;
import io.tiercache.serialization.SerializationException;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.SerializedTier;
import java.util.List;

/**
 * Decides, once per write, which tier of a composite a value goes to, and prepares it for that tier. When the
 * strategy asks for a value's serialized size, the value is serialized with the composite's serializer and
 * the bytes are kept: if the value then goes to a byte-storing tier, those bytes are the ones stored.
 *
 * @param <K> the key type
 */
final class Placement<K> {

  private final TypeStrategy strategy;
  private final List<String> names;
  private final List<Slot<K>> slots;
  private final SerializedTier<K> measurer;
  final boolean keyOnly;

  /**
   * @param measurer the byte-storing tier whose serializer measures values, or null when there is none
   */
  Placement(TypeStrategy strategy, List<String> names, List<Slot<K>> slots, SerializedTier<K> measurer) {
    this.strategy = strategy;
    this.names = names;
    this.slots = slots;
    this.measurer = measurer;
    this.keyOnly = strategy.routesByKeyOnly();
  }

  /** Returns the index of the tier the strategy picks for a key alone (key-only strategies). */
  int routeKey(K key) {
    return indexOf(strategy.route(key, null, new Measure(key, null)));
  }

  /** Returns the index of the tier the strategy picks, mapped to the closest configured tier. */
  int route(K key, Object value) {
    return indexOf(strategy.route(key, keyOnly ? null : value, new Measure(key, value)));
  }

  /** Places and prepares a value: serialized at most once, placed once. */
  Prepared prepare(K key, Object value) {
    Measure measure = new Measure(key, value);
    int index = indexOf(strategy.route(key, keyOnly ? null : value, measure));
    Prepared measured = measure.prepared;
    SerializedTier<K> target = slots.get(index).bytes();
    if (measured != null && target != null && measured.encoder() == target.serializer()) {
      return measured.placedAt(index); // the bytes measured are the target's own: stored as they are
    }
    return slots.get(index).tier.prepare(key, value).placedAt(index);
  }

  private int indexOf(String wanted) {
    int index = names.indexOf(wanted);
    if (index >= 0) {
      return index;
    }
    int wantedRank = TierNames.rank(wanted);
    if (wantedRank < 0) {
      throw new IllegalStateException("Strategy " + strategy.getClass().getName() + " routed to '" + wanted
          + "', which is not a tier; allowed: " + String.join(", ", TierNames.ALL));
    }
    int best = 0;
    int bestDistance = Integer.MAX_VALUE;
    for (int i = 0; i < names.size(); i++) {
      int rank = TierNames.rank(names.get(i));
      // closest rank wins; on a tie, the larger (later) tier
      int distance = Math.abs(rank - wantedRank) * 2 - (rank > wantedRank ? 1 : 0);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  }

  /**
   * What one routing decision may ask: sizes by fast paths for bytes, strings and numbers; other values are
   * serialized by the composite's serializer, once, and the bytes kept for the store.
   */
  private final class Measure implements RoutingContext {
    private final K key;
    private final Object value;
    Prepared prepared;

    Measure(K key, Object value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public List<String> tiers() {
      return names;
    }

    @Override
    public long serializedSize(Object measured) {
      if (measured instanceof byte[]) {
        return ((byte[]) measured).length;
      }
      if (measured instanceof String) {
        return ((String) measured).length(); // UTF-16 units: a close, cheap stand-in for UTF-8 bytes
      }
      if (measured instanceof Number || measured instanceof Boolean || measured instanceof Character) {
        return 8;
      }
      if (measured == value && measurer != null) {
        try {
          prepared = measurer.prepare(key, value);
          return prepared.record().length - RecordFormat.HEADER_BYTES;
        } catch (SerializationException refused) {
          // a class the allowlist refuses may still live on the heap; a byte tier will refuse it when chosen
        }
      }
      return KryoFactory.measure(measured);
    }
  }
}
