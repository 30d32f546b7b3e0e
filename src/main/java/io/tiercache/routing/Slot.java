package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import io.tiercache.tier.serialized.SerializedTier;

/**
 * One tier as its composite drives it, while holding the key's stripe: reads, writes that reuse what the
 * composite already read, and deletes. A byte-storing tier is driven through its byte-level methods with the
 * key bytes of the {@link Probe}; any other tier through the {@link Tier} contract.
 *
 * @param <K> the key type
 */
abstract class Slot<K> {

  final Tier<K> tier;

  Slot(Tier<K> tier) {
    this.tier = tier;
  }

  static <K> Slot<K> of(Tier<K> tier) {
    return tier instanceof SerializedTier ? new Bytes<>((SerializedTier<K>) tier) : new Objects<>(tier);
  }

  /** Returns the record of the probed key, or null. */
  abstract Envelope read(Probe<K> probe);

  /**
   * Stores {@code replacement}, given {@code current}, what this tier holds now (or null).
   *
   * @param sequence the record's sequence, for tiers that keep one
   */
  abstract Envelope write(Probe<K> probe, Envelope current, Envelope replacement, long sequence);

  /** Deletes the record {@code current} this tier holds for the probed key. */
  abstract void delete(Probe<K> probe, Envelope current);

  /** Brings the tier within its bounds after writes; called once the key's stripe is released. */
  void settle() {
  }

  /** Returns the byte-storing tier behind this slot, or null. */
  SerializedTier<K> bytes() {
    return null;
  }

  /** A tier of objects (the heap), driven through the tier contract. */
  private static final class Objects<K> extends Slot<K> {
    Objects(Tier<K> tier) {
      super(tier);
    }

    @Override
    Envelope read(Probe<K> probe) {
      return tier.get(probe.key);
    }

    @Override
    Envelope write(Probe<K> probe, Envelope current, Envelope replacement, long sequence) {
      // the heap keeps plain envelopes: no placement field per entry, one envelope type on the read path
      Envelope plain = replacement.placement() < 0 ? replacement
          : new Envelope(replacement.value(), replacement.expireAtMillis());
      return tier.compute(probe.key, (k, existing) -> plain);
    }

    @Override
    void delete(Probe<K> probe, Envelope current) {
      tier.compute(probe.key, (k, existing) -> null);
    }
  }

  /** A byte-storing tier, driven with the probe's key bytes and the records the composite already read. */
  private static final class Bytes<K> extends Slot<K> {
    private final SerializedTier<K> store;

    Bytes(SerializedTier<K> store) {
      super(store);
      this.store = store;
    }

    @Override
    Envelope read(Probe<K> probe) {
      return store.read(probe.keyBytes(store.serializer()));
    }

    @Override
    Envelope write(Probe<K> probe, Envelope current, Envelope replacement, long sequence) {
      return store.write(probe.keyBytes(store.serializer()), current, replacement, sequence);
    }

    @Override
    void delete(Probe<K> probe, Envelope current) {
      store.delete(probe.keyBytes(store.serializer()), current);
    }

    @Override
    void settle() {
      store.evictIfOver();
    }

    @Override
    SerializedTier<K> bytes() {
      return store;
    }
  }
}
