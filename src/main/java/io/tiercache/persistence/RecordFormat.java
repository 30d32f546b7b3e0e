package io.tiercache.persistence;

import io.tiercache.serialization.SerializationException;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;

/**
 * The layout of every value record a disk tier stores: a small versioned header, then the serialized value.
 *
 * <pre>
 *   byte 0      format version ({@value #VERSION})
 *   byte 1      serializer id
 *   bytes 2-9   expiry instant, epoch milliseconds, big-endian ({@code Long.MAX_VALUE}: eternal)
 *   bytes 10-   the value, as the serializer wrote it
 * </pre>
 *
 * The expiry lives in the header so that a record's lifetime can be checked, and moved, without
 * deserializing its value.
 */
public final class RecordFormat {

  /** The current format version. */
  public static final byte VERSION = 1;

  /** The size of the header in bytes. */
  public static final int HEADER_BYTES = 10;

  private RecordFormat() { }

  /** Encodes an envelope as a record. */
  public static byte[] encode(Envelope envelope, Serializer serializer) {
    return encode(envelope, serializer, serializer.serialize(envelope.value()));
  }

  /** Encodes an envelope whose value {@code serializer} has already serialized to {@code value}. */
  public static byte[] encode(Envelope envelope, Serializer serializer, byte[] value) {
    byte[] record = new byte[HEADER_BYTES + value.length];
    record[0] = VERSION;
    record[1] = serializer.id();
    writeLong(record, 2, envelope.expireAtMillis());
    System.arraycopy(value, 0, record, HEADER_BYTES, value.length);
    return record;
  }

  /**
   * Decodes a record into an envelope.
   *
   * @param storeName names the store in error messages
   * @throws SerializationException if the record's format or serializer is not this one's
   */
  public static Envelope decode(byte[] record, Serializer serializer, String storeName) {
    checkHeader(record, serializer, storeName);
    Object value = serializer.deserialize(record, HEADER_BYTES, record.length - HEADER_BYTES);
    return new Envelope(value, readLong(record, 2));
  }

  /** Returns a copy of {@code record} with another expiry instant, without touching the value bytes. */
  public static byte[] withExpireAt(byte[] record, long expireAtMillis) {
    byte[] copy = record.clone();
    writeLong(copy, 2, expireAtMillis);
    return copy;
  }

  /** Reads the expiry instant of a record. */
  public static long expireAt(byte[] record) {
    return readLong(record, 2);
  }

  private static void checkHeader(byte[] record, Serializer serializer, String storeName) {
    if (record.length < HEADER_BYTES) {
      throw new SerializationException("A record of " + storeName + " is " + record.length
          + " bytes, shorter than the " + HEADER_BYTES + "-byte header: the store is damaged", null);
    }
    if (record[0] != VERSION) {
      throw new SerializationException("A record of " + storeName + " has format version " + record[0]
          + "; this tiercache reads version " + VERSION, null);
    }
    if (record[1] != serializer.id()) {
      throw new SerializationException("A record of " + storeName + " was written by serializer id "
          + record[1] + ", but the cache is configured with '" + serializer.name() + "' (id "
          + serializer.id() + ")", null);
    }
  }

  private static void writeLong(byte[] out, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      out[offset + i] = (byte) (value >>> (56 - 8 * i));
    }
  }

  private static long readLong(byte[] in, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[offset + i] & 0xFF);
    }
    return value;
  }
}
