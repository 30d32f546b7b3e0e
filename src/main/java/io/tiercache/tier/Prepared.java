package io.tiercache.tier;

/**
 * A value on its way into a tier, prepared once by {@link Tier#prepare}: serialized where the tier stores
 * bytes, placed where the tier is a composite. The cache prepares a value before it tells a writer or a
 * listener about it, so a value the tier must refuse is refused before any side effect, and the bytes made
 * here are the ones stored: nothing is serialized twice.
 *
 * <p>Immutable, except that the array of a serialized value is handed to the single envelope made from it.
 */
public final class Prepared {

  private final Object value;
  private final byte[] record;
  private final Object encoder;
  private final int placement;

  private Prepared(Object value, byte[] record, Object encoder, int placement) {
    if (value == null) {
      throw new NullPointerException("a prepared value cannot be null");
    }
    this.value = value;
    this.record = record;
    this.encoder = encoder;
    this.placement = placement;
  }

  /** Returns a value a tier keeps as an object (the heap). */
  public static Prepared object(Object value) {
    return new Prepared(value, null, null, -1);
  }

  /**
   * Returns a value a tier keeps as bytes.
   *
   * @param record the record array: header space followed by the serialized value
   * @param encoder the serializer that wrote it, so a tier can tell whether the bytes are its own
   */
  public static Prepared serialized(Object value, byte[] record, Object encoder) {
    return new Prepared(value, record, encoder, -1);
  }

  /** Returns the value as the caller gave it (or the copy a store-by-value cache keeps). */
  public Object value() {
    return value;
  }

  /** Returns true when the tier keeps the object itself, which a store-by-value cache must then copy. */
  public boolean keepsObject() {
    return record == null;
  }

  /** Returns the record array of a serialized value, or null. */
  public byte[] record() {
    return record;
  }

  /** Returns the serializer that wrote {@link #record()}, or null. */
  public Object encoder() {
    return encoder;
  }

  /** Returns this value placed in the composite's tier {@code index}. */
  public Prepared placedAt(int index) {
    return new Prepared(value, record, encoder, index);
  }

  /** Returns the same preparation holding {@code copy}, an equal object the cache keeps instead. */
  public Prepared withValue(Object copy) {
    return new Prepared(copy, record, encoder, placement);
  }

  /**
   * Returns the envelope to store. Call it once per preparation: the record array passes to the envelope,
   * whose tier fills in its header.
   */
  public Envelope envelope(long expireAtMillis) {
    if (record == null) {
      return placement < 0 ? new Envelope(value, expireAtMillis) : new Placed(value, expireAtMillis, placement);
    }
    return Envelope.prepared(value, expireAtMillis, record, encoder, placement);
  }

  /** An envelope of objects that remembers the tier its composite placed it in. */
  private static final class Placed extends Envelope {
    private final int placement;

    Placed(Object value, long expireAtMillis, int placement) {
      super(value, expireAtMillis);
      this.placement = placement;
    }

    @Override
    public int placement() {
      return placement;
    }
  }
}
