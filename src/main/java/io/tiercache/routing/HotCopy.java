package io.tiercache.routing;

import io.tiercache.tier.Envelope;
import io.tiercache.tier.serialized.RecordFormat;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A composite's copy on the heap of a record one of its byte-storing tiers holds: the record until the first
 * reader decodes it, then only the value (and the record's header, which identifies the record: its sequence and
 * checksum), so a copy costs the heap about its serialized size, which is what it is weighed at. Shared by its
 * readers, so the cache copies the value for each caller that stores by value.
 */
final class HotCopy extends Envelope {

  private final byte[] header;
  private final int weight;
  private final Function<byte[], Object> decoder;
  private volatile byte[] record;   // until decoded
  private volatile Object value;

  HotCopy(long expireAtMillis, byte[] record, Function<byte[], Object> decoder) {
    super(expireAtMillis);
    this.header = Arrays.copyOf(record, RecordFormat.HEADER_BYTES);
    this.weight = (int) Math.min(Integer.MAX_VALUE, record.length + 64L); // plus object headers, roughly
    this.decoder = decoder;
    this.record = record;
  }

  /** Returns what the copy weighs against the heap budget. */
  int weight() {
    return weight;
  }

  @Override
  public Object value() {
    Object decoded = value;
    if (decoded != null) {
      return decoded;
    }
    byte[] bytes = record;
    if (bytes == null) {
      return value; // decoded meanwhile: the value is written before the record is let go
    }
    decoded = decoder.apply(bytes); // two readers racing here decode twice: equal values, one kept
    value = decoded;
    record = null;
    return decoded;
  }

  @Override
  public Envelope withExpireAt(long newExpireAtMillis) {
    return new Envelope(value(), newExpireAtMillis);
  }

  /** True when {@code stored}, a record a tier holds, is the record this copy was made of. */
  @Override
  public boolean sameRecord(Envelope stored) {
    if (stored == this) {
      return true;
    }
    byte[] bytes = stored == null ? null : stored.record();
    return bytes != null && bytes.length >= header.length
        && Arrays.equals(header, 0, header.length, bytes, 0, header.length);
  }
}
