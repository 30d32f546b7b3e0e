package io.tiercache.routing;

import java.util.Map;

/**
 * Places entries by what the cache observes rather than by a fixed rule: every entry gets a durable home on a
 * byte-storing tier (MapDB for ordinary values, RocksDB for bulky ones), and the heap holds <em>copies</em> of
 * the entries read most, within a budget in bytes. A copy is admitted when what it saves (a disk read per read
 * of it: a fixed cost plus its bytes, times its frequency in a compact sketch of recent reads) exceeds what the
 * copies it would push out save, so that small entries are not pushed out by a large one read no more often;
 * copies are then kept and dropped by Caffeine's W-TinyLFU policy, weighed by their serialized size. An entry
 * read often enough is promoted to the heap on its next read; one that cools down is demoted by dropping its
 * copy, never evicted, since its home still holds it. Because no entry lives only on the heap, a
 * crash loses no acknowledged write of any size, and moves between tiers are never needed for temperature.
 *
 * <p>In a cache without a byte-storing tier everything stays on the heap, as with any strategy. The heap tier
 * of the layout holds the copies; a layout without one keeps none.
 *
 * <p>Options: {@code heap-budget} (bytes of copies, default 64 MiB), {@code bulky-bytes} (larger serialized
 * values live in RocksDB rather than MapDB, default 256 KiB), {@code copy-max-bytes} (larger values are never
 * copied to the heap, default an eighth of the budget), {@code warm-budget} (bytes MapDB may hold before its
 * least-read entries move down to RocksDB, default no limit: with it, warm entries stay in MapDB and cold ones
 * go to RocksDB, compressed).
 */
public final class AdaptiveStrategy implements TypeStrategy {

  /** The strategy's name in configuration. */
  public static final String NAME = "adaptive";

  static final long DEFAULT_HEAP_BUDGET = 64L * 1024 * 1024;
  static final long DEFAULT_BULKY_BYTES = 256 * 1024;

  private final long heapBudget;
  private final long bulkyBytes;
  private final long copyMaxBytes;
  private final long warmBudget;

  /**
   * @param heapBudget the bytes of heap for copies of hot entries (0: none)
   * @param bulkyBytes the largest serialized size whose home is MapDB; larger ones live in RocksDB
   * @param copyMaxBytes the largest serialized size copied to the heap
   */
  public AdaptiveStrategy(long heapBudget, long bulkyBytes, long copyMaxBytes) {
    this(heapBudget, bulkyBytes, copyMaxBytes, 0);
  }

  /**
   * @param heapBudget the bytes of heap for copies of hot entries (0: none)
   * @param bulkyBytes the largest serialized size whose home is MapDB; larger ones live in RocksDB
   * @param copyMaxBytes the largest serialized size copied to the heap
   * @param warmBudget the bytes MapDB may hold before its least-read entries move to RocksDB (0: no limit)
   */
  public AdaptiveStrategy(long heapBudget, long bulkyBytes, long copyMaxBytes, long warmBudget) {
    if (heapBudget < 0 || bulkyBytes < 0 || copyMaxBytes < 0 || warmBudget < 0) {
      throw new IllegalArgumentException("adaptive strategy needs heap-budget, bulky-bytes, copy-max-bytes and"
          + " warm-budget >= 0, got " + heapBudget + ", " + bulkyBytes + ", " + copyMaxBytes + " and " + warmBudget);
    }
    this.heapBudget = heapBudget;
    this.bulkyBytes = bulkyBytes;
    this.copyMaxBytes = Math.min(copyMaxBytes, Integer.MAX_VALUE);
    this.warmBudget = warmBudget;
  }

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    if (!hasByteTier(context)) {
      return TierNames.HEAP;
    }
    return context.serializedSize(value) <= bulkyBytes ? TierNames.MAPDB : TierNames.ROCKSDB;
  }

  private static boolean hasByteTier(RoutingContext context) {
    for (String tier : context.tiers()) {
      if (!tier.equals(TierNames.HEAP)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long hotCopyBudgetBytes() {
    return heapBudget;
  }

  @Override
  public long hotCopyMaxBytes() {
    return copyMaxBytes;
  }

  @Override
  public long warmBudgetBytes() {
    return warmBudget;
  }

  /**
   * Creates adaptive strategies from {@code heap-budget}, {@code bulky-bytes}, {@code copy-max-bytes} and
   * {@code warm-budget}.
   */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      long budget = StrategyOptions.bytes(options, "heap-budget", DEFAULT_HEAP_BUDGET);
      return new AdaptiveStrategy(budget,
          StrategyOptions.bytes(options, "bulky-bytes", DEFAULT_BULKY_BYTES),
          StrategyOptions.bytes(options, "copy-max-bytes", budget / 8),
          StrategyOptions.bytes(options, "warm-budget", 0));
    }
  }
}
