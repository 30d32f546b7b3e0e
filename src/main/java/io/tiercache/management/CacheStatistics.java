package io.tiercache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache. Counters are {@link LongAdder}s behind a volatile switch: when statistics are
 * disabled every record method is a single volatile read, and timings are not even measured
 * ({@link #startTime()} returns 0). Internal: not API; read it through JMX or {@code Cache.unwrap}.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getTimeNanos = new LongAdder();
  private final LongAdder putTimeNanos = new LongAdder();
  private final LongAdder removeTimeNanos = new LongAdder();
  private volatile boolean enabled;

  /** Returns whether counters are being kept. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns counting on or off; counts kept so far stay until {@link #clear()}. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns a start instant for a timing, or 0 when statistics are off. */
  public long startTime() {
    return enabled ? System.nanoTime() : 0L;
  }

  /** Records {@code count} hits. */
  public void recordHits(long count) {
    if (enabled && count != 0) {
      hits.add(count);
    }
  }

  /** Records {@code count} misses. */
  public void recordMisses(long count) {
    if (enabled && count != 0) {
      misses.add(count);
    }
  }

  /** Records {@code count} puts. */
  public void recordPuts(long count) {
    if (enabled && count != 0) {
      puts.add(count);
    }
  }

  /** Records {@code count} removals. */
  public void recordRemovals(long count) {
    if (enabled && count != 0) {
      removals.add(count);
    }
  }

  /** Records {@code count} evictions. */
  public void recordEvictions(long count) {
    if (enabled && count != 0) {
      evictions.add(count);
    }
  }

  /** Adds the time since {@code start} (from {@link #startTime()}) to the get time. */
  public void recordGetTime(long start) {
    if (enabled && start != 0L) {
      getTimeNanos.add(System.nanoTime() - start);
    }
  }

  /** Adds the time since {@code start} to the put time. */
  public void recordPutTime(long start) {
    if (enabled && start != 0L) {
      putTimeNanos.add(System.nanoTime() - start);
    }
  }

  /** Adds the time since {@code start} to the remove time. */
  public void recordRemoveTime(long start) {
    if (enabled && start != 0L) {
      removeTimeNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getTimeNanos.reset();
    putTimeNanos.reset();
    removeTimeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long hitCount = getCacheHits();
    long gets = hitCount + getCacheMisses();
    return gets == 0 ? 0f : (float) hitCount / gets * 100f;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long missCount = getCacheMisses();
    long gets = missCount + getCacheHits();
    return gets == 0 ? 0f : (float) missCount / gets * 100f;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getTimeNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putTimeNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeTimeNanos.sum(), getCacheRemovals());
  }

  private static float averageMicros(long totalNanos, long count) {
    return count == 0 ? 0f : (float) ((totalNanos / 1000.0) / count);
  }
}
