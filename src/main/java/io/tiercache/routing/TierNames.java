package io.tiercache.routing;

import java.util.List;

/** The names of tiercache's tier engines, in order from fastest and smallest to slowest and largest. */
public final class TierNames {

  /** Objects on the Java heap (Caffeine). */
  public static final String HEAP = "heap";
  /** Serialized records in a memory-mapped file or off-heap memory (MapDB). */
  public static final String MAPDB = "mapdb";
  /** Serialized records in an LSM store on disk (RocksDB). */
  public static final String ROCKSDB = "rocksdb";

  /**
   * Serialized records in Redis, shared by every process that names the same server and namespace. Not a
   * routing destination (not in {@link #ALL}): it stands alone, or behind a heap acting as its near cache.
   */
  public static final String REDIS = "redis";

  /** The tiers a composite routes between, fastest first. */
  public static final List<String> ALL = List.of(HEAP, MAPDB, ROCKSDB);

  private TierNames() { }

  /** Returns the rank of a tier name in {@link #ALL}, or -1 for an unknown name. */
  public static int rank(String name) {
    return ALL.indexOf(name);
  }
}
