package io.tiercache.tier.serialized;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound of a tier that stores bytes, by entry count and/or total record bytes, with the occupancy
 * counters it is checked against. A limit of -1 means none.
 */
public final class Capacity {

  private final long maximumEntries;
  private final long maximumBytes;
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param maximumEntries the most entries, or -1
   * @param maximumBytes the most record bytes (keys and values with headers), or -1
   */
  public Capacity(long maximumEntries, long maximumBytes) {
    this.maximumEntries = maximumEntries;
    this.maximumBytes = maximumBytes;
  }

  /** Returns a capacity without limits. */
  public static Capacity unbounded() {
    return new Capacity(-1, -1);
  }

  /** Records that an entry of {@code recordBytes} was added. */
  public void added(long recordBytes) {
    entries.incrementAndGet();
    bytes.addAndGet(recordBytes);
  }

  /** Records that an entry of {@code recordBytes} was removed. */
  public void removed(long recordBytes) {
    entries.decrementAndGet();
    bytes.addAndGet(-recordBytes);
  }

  /** Records that an entry changed size. */
  public void resized(long oldBytes, long newBytes) {
    bytes.addAndGet(newBytes - oldBytes);
  }

  /** Forgets all occupancy, after the tier was cleared. */
  public void reset() {
    entries.set(0);
    bytes.set(0);
  }

  /** Returns the number of entries. */
  public long entries() {
    return entries.get();
  }

  /** Returns the total record bytes. */
  public long bytes() {
    return bytes.get();
  }

  /** Returns true when the tier holds more than its limits allow. */
  public boolean isExceeded() {
    return (maximumEntries >= 0 && entries.get() > maximumEntries)
        || (maximumBytes >= 0 && bytes.get() > maximumBytes);
  }

  @Override
  public String toString() {
    return "Capacity[maximumEntries=" + maximumEntries + ", maximumBytes=" + maximumBytes + "]";
  }
}
