package io.tiercache.tier;

/**
 * What a tier stores for one key: the value and the wall-clock instant, in epoch milliseconds, at which the
 * mapping expires. Carrying the expiry in the record is what lets every tier, on heap or on disk, honour
 * JCache expiry without a side structure.
 *
 * <p>Envelopes are immutable: an access that moves the expiry instant stores a new envelope through
 * {@link Tier#updateExpiry}, so a reader never sees a half-updated record.
 */
public final class Envelope {

  /** The expiry instant of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  private final Object value;
  private final long expireAtMillis;
  private final Object origin; // what a byte-storing tier decoded this from; lets it detect stale updates

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
    this.origin = null;
  }

  Envelope(Object value, long expireAtMillis, Object origin) {
    this.value = value;
    this.expireAtMillis = expireAtMillis;
    this.origin = origin;
  }

  Object origin() {
    return origin;
  }

  /**
   * Returns true when the value was decoded from stored bytes for this read alone, so nobody else holds it
   * and store-by-value need not copy it again.
   */
  public boolean isPrivateCopy() {
    return origin != null;
  }

  /**
   * Returns true when {@code other} is the same stored record as this one: the same object, or (for tiers
   * that decode a fresh envelope on every read) decoded from the same record bytes.
   */
  public boolean sameRecord(Envelope other) {
    if (this == other) {
      return true;
    }
    if (other == null || origin == null || other.origin == null) {
      return false;
    }
    return origin instanceof byte[] && other.origin instanceof byte[]
        ? java.util.Arrays.equals((byte[]) origin, (byte[]) other.origin) : origin.equals(other.origin);
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
