package io.tiercache.tier.serialized;

import io.tiercache.serialization.SerializationException;
import io.tiercache.serialization.Serializer;

/**
 * The layout of every value record a byte-storing tier keeps: a small versioned header, then the serialized
 * value.
 *
 * <pre>
 *   byte 0       format version ({@value #VERSION})
 *   byte 1       serializer id
 *   bytes 2-9    expiry instant, epoch milliseconds, big-endian ({@code Long.MAX_VALUE}: eternal)
 *   bytes 10-17  the record's sequence: one more than the sequence of the record it replaced
 *   bytes 18-    the value, as the serializer wrote it
 * </pre>
 *
 * The expiry lives in the header so that a record's lifetime can be checked, and moved, without
 * deserializing its value. The sequence orders two copies of one key: when a crash interrupts a move between
 * two tiers, both copies may survive, and the recovery sweep of a composite keeps the one with the higher
 * sequence. Version-1 records (a 10-byte header without a sequence) are still read, as sequence 0.
 */
public final class RecordFormat {

  /** The current format version. */
  public static final byte VERSION = 2;

  /** The size of the current header in bytes: the headroom a serializer leaves before the value. */
  public static final int HEADER_BYTES = 18;

  private static final byte VERSION_1 = 1;
  private static final int VERSION_1_HEADER_BYTES = 10;

  private RecordFormat() { }

  /**
   * Fills in the header of {@code record}, whose first {@link #HEADER_BYTES} bytes are reserved for it.
   */
  public static void writeHeader(byte[] record, byte serializerId, long expireAtMillis, long sequence) {
    record[0] = VERSION;
    record[1] = serializerId;
    writeLong(record, 2, expireAtMillis);
    writeLong(record, 10, sequence);
  }

  /** Returns the offset of the value within a record. */
  public static int valueOffset(byte[] record) {
    return record[0] == VERSION_1 ? VERSION_1_HEADER_BYTES : HEADER_BYTES;
  }

  /** Returns the expiry instant of a record. */
  public static long expireAt(byte[] record) {
    return readLong(record, 2);
  }

  /** Returns the sequence of a record; 0 for a record written before sequences existed. */
  public static long sequence(byte[] record) {
    return record[0] == VERSION_1 ? 0 : readLong(record, 10);
  }

  /**
   * Returns the sequence of a record, or {@code Long.MIN_VALUE} for bytes too damaged to hold one, so that a
   * sound copy always wins over a damaged one.
   */
  public static long sequenceOrLowest(byte[] record) {
    if (record.length < 1 || (record[0] != VERSION && record[0] != VERSION_1)
        || record.length < valueOffset(record)) {
      return Long.MIN_VALUE;
    }
    return sequence(record);
  }

  /**
   * Checks that a record is complete and was written in a format and by a serializer this tier reads.
   *
   * @param storeName names the store in error messages
   * @throws SerializationException naming what is wrong
   */
  public static void check(byte[] record, Serializer serializer, String storeName) {
    if (record.length < 1 || (record[0] != VERSION && record[0] != VERSION_1)) {
      throw new SerializationException("A record of " + storeName + " has format version "
          + (record.length < 1 ? "(none)" : String.valueOf(record[0])) + "; this tiercache reads versions "
          + VERSION_1 + " and " + VERSION, null);
    }
    int header = valueOffset(record);
    if (record.length < header + 1) {
      throw new SerializationException("A record of " + storeName + " is " + record.length
          + " bytes, too short for its " + header + "-byte header and a value: the store is damaged", null);
    }
    if (record[1] != serializer.id()) {
      throw new SerializationException("A record of " + storeName + " was written by serializer id "
          + record[1] + ", but the cache is configured with '" + serializer.name() + "' (id "
          + serializer.id() + ")", null);
    }
  }

  /**
   * Returns the record to store for a value whose serialized bytes follow a header of the current format in
   * {@code record}: the same array with its header filled in when {@code inPlace}, a filled-in copy otherwise.
   */
  public static byte[] stamp(byte[] record, boolean inPlace, byte serializerId, long expireAtMillis,
      long sequence) {
    byte[] target = inPlace ? record : record.clone();
    writeHeader(target, serializerId, expireAtMillis, sequence);
    return target;
  }

  /** Returns a record in the current format holding the value of {@code record}, which may be of version 1. */
  public static byte[] upgraded(byte[] record) {
    if (record[0] != VERSION_1) {
      return record;
    }
    byte[] upgraded = new byte[record.length - VERSION_1_HEADER_BYTES + HEADER_BYTES];
    System.arraycopy(record, VERSION_1_HEADER_BYTES, upgraded, HEADER_BYTES,
        record.length - VERSION_1_HEADER_BYTES);
    writeHeader(upgraded, record[1], expireAt(record), 0);
    return upgraded;
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
