package io.tiercache.tier.serialized;

import io.tiercache.serialization.SerializationException;
import io.tiercache.serialization.Serializer;
import java.util.zip.CRC32C;

/**
 * The layout of every value record a byte-storing tier keeps: a small versioned header, then the serialized
 * value.
 *
 * <pre>
 *   byte 0       format version ({@value #VERSION})
 *   byte 1       serializer id
 *   bytes 2-9    expiry instant, epoch milliseconds, big-endian ({@code Long.MAX_VALUE}: eternal)
 *   bytes 10-17  the record's sequence: one more than the sequence of the record it replaced
 *   bytes 18-21  CRC-32C of the key's bytes, bytes 0-17 and the value, big-endian
 *   bytes 22-    the value, as the serializer wrote it
 * </pre>
 *
 * The expiry lives in the header so that a record's lifetime can be checked, and moved, without
 * deserializing its value. The sequence orders two copies of one key: when a crash interrupts a move between
 * two tiers, both copies may survive, and the recovery sweep of a composite keeps the one with the higher
 * sequence. The checksum covers the key the record is stored under as well as the record itself, so damaged
 * bytes, and a sound record found under another key, are both detected before anything is decoded.
 *
 * <p>Older records are still read: version 2 (an 18-byte header without a checksum) and version 1 (a 10-byte
 * header without a sequence, read as sequence 0). They carry no checksum, so they are trusted as they are
 * until rewritten, which stamps them in the current format.
 */
public final class RecordFormat {

  /** The current format version. */
  public static final byte VERSION = 3;

  /** The size of the current header in bytes: the headroom a serializer leaves before the value. */
  public static final int HEADER_BYTES = 22;

  /**
   * What an encrypted store gives back for a record that fails authentication: one byte no format version has,
   * which {@link #damage} names, so the tier drops it like any damaged record.
   */
  public static final byte[] UNAUTHENTIC = {(byte) 0x7E};

  private static final byte VERSION_1 = 1;
  private static final int VERSION_1_HEADER_BYTES = 10;
  private static final byte VERSION_2 = 2;
  private static final int VERSION_2_HEADER_BYTES = 18;
  private static final int CHECKSUM_OFFSET = 18;

  private RecordFormat() { }

  /**
   * Fills in the header of {@code record}, whose first {@link #HEADER_BYTES} bytes are reserved for it, and
   * seals it with the checksum of {@code keyBytes} and the record.
   */
  public static void writeHeader(byte[] keyBytes, byte[] record, byte serializerId, long expireAtMillis,
      long sequence) {
    record[0] = VERSION;
    record[1] = serializerId;
    writeLong(record, 2, expireAtMillis);
    writeLong(record, 10, sequence);
    writeInt(record, CHECKSUM_OFFSET, checksum(keyBytes, record));
  }

  /** Returns the offset of the value within a record. */
  public static int valueOffset(byte[] record) {
    switch (record[0]) {
      case VERSION_1:
        return VERSION_1_HEADER_BYTES;
      case VERSION_2:
        return VERSION_2_HEADER_BYTES;
      default:
        return HEADER_BYTES;
    }
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
   * Returns the sequence of a record stored under {@code keyBytes}, or {@code Long.MIN_VALUE} for bytes that
   * fail their checksum or are too damaged to hold one, so that a sound copy always wins over a damaged one.
   */
  public static long sequenceOrLowest(byte[] keyBytes, byte[] record) {
    return damage(keyBytes, record) != null ? Long.MIN_VALUE : sequence(record);
  }

  /**
   * Returns what is wrong with a record stored under {@code keyBytes}, in a few words, or null when it is
   * sound: a known format version, long enough for its header and a value, and (from version 3) matching its
   * checksum.
   */
  public static String damage(byte[] keyBytes, byte[] record) {
    return damage(keyBytes, record, true);
  }

  /**
   * As {@link #damage(byte[], byte[])}; with {@code legacy} false, versions 1 and 2 count as damage too: in a
   * store that never held them, such a version byte is a damaged version 3, whose checksum must not be skipped.
   */
  public static String damage(byte[] keyBytes, byte[] record, boolean legacy) {
    if (record.length == 1 && record[0] == UNAUTHENTIC[0]) {
      return "fails authentication (written with a key the keyring lacks, moved from another key or cache, or"
          + " changed)";
    }
    if (record.length < 1 || record[0] < (legacy ? VERSION_1 : VERSION) || record[0] > VERSION) {
      return "unknown format version " + (record.length < 1 ? "(empty record)" : String.valueOf(record[0]));
    }
    int header = valueOffset(record);
    if (record.length < header + 1) {
      return record.length + " bytes, too short for its " + header + "-byte header and a value";
    }
    if (record[0] == VERSION && readInt(record, CHECKSUM_OFFSET) != checksum(keyBytes, record)) {
      return "checksum mismatch";
    }
    return null;
  }

  /**
   * Checks that a sound record was written by the serializer this tier reads with.
   *
   * @param storeName names the store in error messages
   * @throws SerializationException naming what is wrong
   */
  public static void checkSerializer(byte[] record, Serializer serializer, String storeName) {
    if (record[1] != serializer.id()) {
      throw new SerializationException("A record of " + storeName + " was written by serializer id "
          + record[1] + ", but the cache is configured with '" + serializer.name() + "' (id "
          + serializer.id() + ")", null);
    }
  }

  /**
   * Returns the record to store under {@code keyBytes} for a value whose serialized bytes follow a header of
   * the current format in {@code record}: the same array with its header filled in when {@code inPlace}, a
   * filled-in copy otherwise.
   */
  public static byte[] stamp(byte[] keyBytes, byte[] record, boolean inPlace, byte serializerId,
      long expireAtMillis, long sequence) {
    byte[] target = inPlace ? record : record.clone();
    writeHeader(keyBytes, target, serializerId, expireAtMillis, sequence);
    return target;
  }

  /**
   * Returns the record to store for {@code envelope} under {@code keyBytes}: the envelope's own bytes with a
   * new header when {@code serializer} wrote them (in place when the envelope owns its array), otherwise the
   * value serialized now. Nothing is serialized twice.
   */
  public static byte[] encode(byte[] keyBytes, io.tiercache.tier.Envelope envelope, Serializer serializer,
      long sequence) {
    byte[] record = envelope.record();
    if (record != null && envelope.encoder() == serializer) {
      // a record prepared for this write has its header still blank (version 0): it is of the current format,
      // only unstamped, and must not be copied as an old one would be
      byte[] current = envelope.ownsRecord() ? record : upgraded(record);
      boolean inPlace = envelope.ownsRecord() || current != record;
      return stamp(keyBytes, current, inPlace, serializer.id(), envelope.expireAtMillis(), sequence);
    }
    byte[] fresh = serializer.serialize(envelope.value(), HEADER_BYTES);
    return stamp(keyBytes, fresh, true, serializer.id(), envelope.expireAtMillis(), sequence);
  }

  /**
   * Returns a record whose value sits behind a header of the current format: {@code record} itself when it
   * is of the current version, else a copy with room for the current header (filled in by {@link #stamp}).
   */
  public static byte[] upgraded(byte[] record) {
    if (record[0] == VERSION) {
      return record;
    }
    int oldHeader = valueOffset(record);
    byte[] upgraded = new byte[record.length - oldHeader + HEADER_BYTES];
    System.arraycopy(record, oldHeader, upgraded, HEADER_BYTES, record.length - oldHeader);
    System.arraycopy(record, 0, upgraded, 0, 10); // version, serializer id, expiry: stamp rewrites the rest
    return upgraded;
  }

  /** The checksum of a record under its key, over everything but the checksum field itself. */
  private static int checksum(byte[] keyBytes, byte[] record) {
    CRC32C crc = new CRC32C();
    crc.update(keyBytes, 0, keyBytes.length);
    crc.update(record, 0, CHECKSUM_OFFSET);
    crc.update(record, HEADER_BYTES, record.length - HEADER_BYTES);
    return (int) crc.getValue();
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

  private static void writeInt(byte[] out, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      out[offset + i] = (byte) (value >>> (24 - 8 * i));
    }
  }

  private static int readInt(byte[] in, int offset) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (in[offset + i] & 0xFF);
    }
    return value;
  }
}
