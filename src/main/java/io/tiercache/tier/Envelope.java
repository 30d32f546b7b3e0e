package io.tiercache.tier;

/**
 * What a tier stores for one key: the value and the wall-clock instant, in epoch milliseconds, at which the
 * mapping expires. Carrying the expiry in the record is what lets every tier, on heap or on disk, honour
 * JCache expiry without a side structure.
 *
 * <p>Envelopes are immutable: an access that moves the expiry instant stores a new envelope through
 * {@link Tier#updateExpiry}, so a reader never sees a half-updated record.
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

  /** A record a byte-storing tier decoded; the heap's envelopes do without the field (8 bytes an entry). */
  static final class Decoded extends Envelope {
    private final byte[] origin;

    Decoded(Object value, long expireAtMillis, byte[] origin) {
      super(value, expireAtMillis);
      this.origin = origin;
    }

    @Override
    Object origin() {
      return origin;
    }
  }

  /** Returns what a byte-storing tier decoded this from, or null; lets it detect stale updates. */
  Object origin() {
    return null;
  }

  /**
   * Returns true when the value was decoded from stored bytes for this read alone, so nobody else holds it
   * and store-by-value need not copy it again.
   */
  public boolean isPrivateCopy() {
    return origin() != null;
  }

  /**
   * Returns true when {@code other} is the same stored record as this one: the same object, or (for tiers
   * that decode a fresh envelope on every read) decoded from the same record bytes.
   */
  public boolean sameRecord(Envelope other) {
    if (this == other) {
      return true;
    }
    Object origin = origin();
    if (other == null || origin == null || other.origin() == null) {
      return false;
    }
    return java.util.Arrays.equals((byte[]) origin, (byte[]) other.origin());
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

  @Override
  public String toString() {
    return "Envelope[expireAt=" + (expireAtMillis == ETERNAL ? "eternal" : expireAtMillis) + "]";
  }
}
