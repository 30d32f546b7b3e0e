package io.tiercache.routing;

import io.tiercache.serialization.Serializer;

/**
 * One key as a composite operation looks it up: the key object, and its serialized form made at most once
 * however many byte-storing tiers the operation reads or writes.
 *
 * @param <K> the key type
 */
final class Probe<K> {

  final K key;
  private final Serializer serializer;
  private byte[] keyBytes;

  Probe(K key, Serializer serializer) {
    this.key = key;
    this.serializer = serializer;
  }

  /** Returns the key's bytes under {@code wanted}; serialized once when it is the composite's serializer. */
  byte[] keyBytes(Serializer wanted) {
    if (wanted != serializer) {
      return wanted.serializeKey(key);
    }
    if (keyBytes == null) {
      keyBytes = serializer.serializeKey(key);
    }
    return keyBytes;
  }
}
