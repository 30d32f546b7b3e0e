package io.tiercache.tier.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.tier.serialized.RecordFormat;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The records this process found it cannot decode, by key: they stay in Redis for the processes that can, and
 * read as absent here until the key holds another record. A record is known by its header, whose checksum and
 * random sequence tell one write from another. Bounded; a record forgotten is found undecodable again.
 */
final class UnreadableRecords {

  private final Cache<ByteBuffer, ByteBuffer> headers = Caffeine.newBuilder().maximumSize(10_000).build();

  /** Remembers that {@code record}, stored under {@code keyBytes}, cannot be decoded here. */
  void remember(byte[] keyBytes, byte[] record) {
    headers.put(ByteBuffer.wrap(keyBytes.clone()), header(record));
  }

  /** Returns true when {@code record} is the one remembered for {@code keyBytes}. */
  boolean isUnreadable(byte[] keyBytes, byte[] record) {
    if (headers.estimatedSize() == 0) {
      return false; // the common case: no lookup, no allocation
    }
    ByteBuffer known = headers.getIfPresent(ByteBuffer.wrap(keyBytes));
    return known != null && known.equals(header(record));
  }

  private static ByteBuffer header(byte[] record) {
    return ByteBuffer.wrap(Arrays.copyOf(record, Math.min(record.length, RecordFormat.HEADER_BYTES)));
  }
}
