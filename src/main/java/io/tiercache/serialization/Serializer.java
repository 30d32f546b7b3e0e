package io.tiercache.serialization;

/**
 * Turns keys and values into bytes for the tiers that keep data off the heap, and back. Implementations are
 * thread-safe and must be deterministic for keys: equal keys give equal bytes, because disk tiers look keys
 * up by their bytes.
 *
 * <p>Deserialization is where untrusted bytes meet class loading, so an implementation must only
 * instantiate classes that the configuration registers or allowlists; anything else is refused with an
 * {@link UnsafeClassException} naming the class.
 */
public interface Serializer {

  /**
   * Returns the id stored in every record this serializer writes, so that a store written by one serializer
   * is never read by another. Ids 0 to 15 are reserved for tiercache's own serializers.
   */
  byte id();

  /** Returns the serializer's name, as configuration refers to it. */
  String name();

  /**
   * Serializes an object.
   *
   * @throws UnsafeClassException if the object's class (or a class in its graph) is not allowed
   * @throws SerializationException if the object cannot be serialized
   */
  byte[] serialize(Object object);

  /**
   * Serializes an object behind {@code headroom} bytes left free for the caller's header, so a tier can
   * store the result as it is instead of copying the value behind its header. The default copies what
   * {@link #serialize(Object)} returns; an implementation overrides it to write in place.
   *
   * @throws UnsafeClassException if the object's class (or a class in its graph) is not allowed
   * @throws SerializationException if the object cannot be serialized
   */
  default byte[] serialize(Object object, int headroom) {
    byte[] bytes = serialize(object);
    byte[] out = new byte[headroom + bytes.length];
    System.arraycopy(bytes, 0, out, headroom, bytes.length);
    return out;
  }

  /**
   * Serializes a key. Disk tiers find keys by these bytes, so equal keys must give equal bytes; the default
   * is {@link #serialize}, which an implementation overrides when its object form depends on identity.
   */
  default byte[] serializeKey(Object key) {
    return serialize(key);
  }

  /** Deserializes bytes written by {@link #serializeKey}; the default is {@link #deserialize}. */
  default Object deserializeKey(byte[] bytes, int offset, int length) {
    return deserialize(bytes, offset, length);
  }

  /**
   * Deserializes bytes written by {@link #serialize}.
   *
   * @throws UnsafeClassException if the bytes name a class that is neither registered nor allowlisted
   * @throws SerializationException if the bytes are not a valid serialization
   */
  Object deserialize(byte[] bytes, int offset, int length);
}
