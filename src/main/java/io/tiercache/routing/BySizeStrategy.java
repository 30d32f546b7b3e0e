package io.tiercache.routing;

import java.util.Map;

/**
 * Routes by serialized size: values up to {@code heap-max-bytes} stay on the heap, up to
 * {@code mapdb-max-bytes} go to MapDB, larger ones to RocksDB. The default strategy, with 4 KiB and
 * 256 KiB: small objects are cheapest as objects, medium ones pay little for a memory-mapped copy, and large
 * blobs belong in an LSM store that compresses and streams them.
 */
public final class BySizeStrategy implements TypeStrategy {

  /** The strategy's name in configuration. */
  public static final String NAME = "size";

  static final long DEFAULT_HEAP_MAX_BYTES = 4 * 1024;
  static final long DEFAULT_MAPDB_MAX_BYTES = 256 * 1024;

  private final long heapMaxBytes;
  private final long mapdbMaxBytes;

  /**
   * @param heapMaxBytes the largest serialized size kept on the heap
   * @param mapdbMaxBytes the largest serialized size kept in MapDB
   */
  public BySizeStrategy(long heapMaxBytes, long mapdbMaxBytes) {
    if (heapMaxBytes < 0 || mapdbMaxBytes < heapMaxBytes) {
      throw new IllegalArgumentException("size strategy needs 0 <= heap-max-bytes <= mapdb-max-bytes, got "
          + heapMaxBytes + " and " + mapdbMaxBytes);
    }
    this.heapMaxBytes = heapMaxBytes;
    this.mapdbMaxBytes = mapdbMaxBytes;
  }

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    long size = context.serializedSize(value);
    if (size <= heapMaxBytes) {
      return TierNames.HEAP;
    }
    return size <= mapdbMaxBytes ? TierNames.MAPDB : TierNames.ROCKSDB;
  }

  /** Creates size strategies from {@code heap-max-bytes} and {@code mapdb-max-bytes}. */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      return new BySizeStrategy(
          StrategyOptions.bytes(options, "heap-max-bytes", DEFAULT_HEAP_MAX_BYTES),
          StrategyOptions.bytes(options, "mapdb-max-bytes", DEFAULT_MAPDB_MAX_BYTES));
    }
  }
}
