package io.tiercache.tier;

/**
 * The function of an atomic read-modify-write on one key, see {@link Tier#compute}.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface EnvelopeRemapper<K> {

  /**
   * Computes the new record of {@code key}.
   *
   * @param key the key
   * @param current the current record, possibly expired, or null when the key is absent
   * @return the record to store; {@code current} itself to leave the mapping untouched; null to remove it
   */
  Envelope remap(K key, Envelope current);
}
