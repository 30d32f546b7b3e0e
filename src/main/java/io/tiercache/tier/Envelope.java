package io.tiercache.tier;

import java.util.Arrays;
import java.util.function.Function;

/**
 * What a tier stores for one key: the value and the wall-clock instant, in epoch milliseconds, at which the
 * mapping expires. Carrying the expiry in the record is what lets every tier, on heap or on disk, honour
 * JCache expiry without a side structure.
 *
 * <p>Envelopes are immutable: an access that moves the expiry instant stores a new envelope through
 * {@link Tier#updateExpiry}, so a reader never sees a half-updated record.
 *
 * <p>An envelope of a tier that stores bytes may also carry its encoded record ({@link #record()}): the bytes
 * it was read from, or the bytes a {@link Prepared} value was serialized to. A tier that receives such an
 * envelope from a writer stores those bytes instead of serializing the value again.
 */
public class Envelope {

  /** The expiry instant of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  private final Object value;
  private final long expireAtMillis;

  /**
   * @param value the stored value (already copied or serialized as the tier requires); never null
   * @param expireAtMillis epoch milliseconds at which the mapping expires, or {@link #ETERNAL}
   */
  public Envelope(Object value, long expireAtMillis) {
    if (value == null) {
      throw new NullPointerException("an envelope must hold a value");
    }
    this.value = value;
    this.expireAtMillis = expireAtMillis;
  }

  /** For envelopes that decode their value on first use (and override {@link #value()}). */
  protected Envelope(long expireAtMillis) {
    this.value = null;
    this.expireAtMillis = expireAtMillis;
  }

  /**
   * Returns the envelope of a record a byte-storing tier read. Its value is deserialized on the first call of
   * {@link #value()}, so a write that needs only the old record's expiry (a plain put) never decodes it; once
   * decoded it belongs to this read alone, so nobody else holds it.
   *
   * @param record the stored bytes, header included
   * @param encoder the serializer that reads and writes these bytes
   * @param decoder turns the record into its value; it may throw the tier's exception for undecodable bytes
   */
  public static Envelope decoded(long expireAtMillis, byte[] record, Object encoder,
      Function<byte[], Object> decoder) {
    return new Decoded(expireAtMillis, record, encoder, decoder);
  }

  /**
   * Returns the envelope of a value serialized on its way in ({@link Prepared#envelope}): the record array is
   * owned by this envelope alone, so the tier may fill its header in place.
   *
   * @param placement the index of the tier a composite chose for it, or -1
   */
  static Envelope prepared(Object value, long expireAtMillis, byte[] record, Object encoder, int placement) {
    return new Encoded(value, expireAtMillis, record, encoder, placement, true);
  }

  /**
   * Returns the envelope of a record decoded once and kept for many readers (a near cache): unlike
   * {@link #decoded}, its value is not private to one read, so the cache copies it for each caller that
   * stores by value.
   */
  public static Envelope shared(Object value, long expireAtMillis, byte[] record, Object encoder) {
    return new Encoded(value, expireAtMillis, record, encoder, -1, false);
  }

  /** Returns the stored value. */
  public Object value() {
    return value;
  }

  /** Returns the epoch milliseconds at which this mapping expires, or {@link #ETERNAL}. */
  public long expireAtMillis() {
    return expireAtMillis;
  }

  /** Returns an envelope with the same value and another expiry instant. */
  public Envelope withExpireAt(long newExpireAtMillis) {
    return new Envelope(value, newExpireAtMillis);
  }

  /** Returns true when the mapping has expired at {@code nowMillis}. */
  public boolean isExpired(long nowMillis) {
    return nowMillis >= expireAtMillis;
  }

  /**
   * Returns true when the value was decoded from stored bytes for this read alone, so nobody else holds it
   * and store-by-value need not copy it again.
   */
  public boolean isPrivateCopy() {
    return false;
  }

  /**
   * Returns the encoded record behind this envelope, or null for an envelope of objects. The header part of
   * the array is only meaningful for an envelope read from a store; a tier writing the record fills it in.
   * Callers must not change the array.
   */
  public byte[] record() {
    return null;
  }

  /** Returns the serializer that wrote {@link #record()}, or null. */
  public Object encoder() {
    return null;
  }

  /** Returns true when {@link #record()} belongs to this envelope alone, so a tier may fill its header in place. */
  public boolean ownsRecord() {
    return false;
  }

  /** Returns the index of the tier a composite placed this value in when it was prepared, or -1. */
  public int placement() {
    return -1;
  }

  /**
   * Returns true when {@code other} is the same stored record as this one: the same object, or (for tiers
   * that decode a fresh envelope on every read) decoded from the same record bytes.
   */
  public boolean sameRecord(Envelope other) {
    if (this == other) {
      return true;
    }
    byte[] record = record();
    return record != null && other != null && other.record() != null && Arrays.equals(record, other.record());
  }

  @Override
  public String toString() {
    return "Envelope[expireAt=" + (expireAtMillis == ETERNAL ? "eternal" : expireAtMillis) + "]";
  }

  /** An envelope that carries its record bytes; the heap's envelopes do without these fields. */
  private abstract static class WithRecord extends Envelope {
    final byte[] record;
    final Object encoder;

    WithRecord(Object value, long expireAtMillis, byte[] record, Object encoder) {
      super(value, expireAtMillis);
      this.record = record;
      this.encoder = encoder;
    }

    WithRecord(long expireAtMillis, byte[] record, Object encoder) {
      super(expireAtMillis);
      this.record = record;
      this.encoder = encoder;
    }

    @Override
    public byte[] record() {
      return record;
    }

    @Override
    public Object encoder() {
      return encoder;
    }
  }

  /** A record read from a store: its value is decoded on first use, at most once. */
  private static final class Decoded extends WithRecord {
    private final Function<byte[], Object> decoder;
    private Object decoded; // confined to the reading thread in practice; a racing second decode is harmless

    Decoded(long expireAtMillis, byte[] record, Object encoder, Function<byte[], Object> decoder) {
      super(expireAtMillis, record, encoder);
      this.decoder = decoder;
    }

    @Override
    public Object value() {
      Object value = decoded;
      if (value == null) {
        value = decoder.apply(record);
        decoded = value;
      }
      return value;
    }

    @Override
    public Envelope withExpireAt(long newExpireAtMillis) {
      // the same value bytes under another expiry: the tier rewrites the header, nothing is serialized again
      Decoded moved = new Decoded(newExpireAtMillis, record, encoder, decoder);
      moved.decoded = decoded;
      return moved;
    }

    @Override
    public boolean isPrivateCopy() {
      return true;
    }
  }

  /** A value serialized on its way in: the caller's object and the bytes a tier stores for it. */
  private static final class Encoded extends WithRecord {
    private final int placement;
    private final boolean ownsRecord;

    Encoded(Object value, long expireAtMillis, byte[] record, Object encoder, int placement, boolean ownsRecord) {
      super(value, expireAtMillis, record, encoder);
      this.placement = placement;
      this.ownsRecord = ownsRecord;
    }

    @Override
    public Envelope withExpireAt(long newExpireAtMillis) {
      // the same value bytes under another expiry: the tier rewrites the header, nothing is serialized again
      return new Encoded(value(), newExpireAtMillis, record, encoder, placement, false);
    }

    @Override
    public boolean ownsRecord() {
      return ownsRecord;
    }

    @Override
    public int placement() {
      return placement;
    }
  }
}
