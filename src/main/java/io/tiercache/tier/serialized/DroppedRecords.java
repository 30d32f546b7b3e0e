package io.tiercache.tier.serialized;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records a tier dropped as damaged or undecodable, and logs each kind of failure once: a store
 * with thousands of records of a class that no longer decodes should say so in one line, not thousands.
 */
public final class DroppedRecords {

  private static final Logger LOG = LoggerFactory.getLogger(DroppedRecords.class);
  private static final int MAX_REMEMBERED = 1024; // distinct failures logged; past that, only the count grows

  private final String storeName;
  private final LongAdder count = new LongAdder();
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /** @param storeName the store's name in log lines */
  public DroppedRecords(String storeName) {
    this.storeName = storeName;
  }

  /** Counts one dropped record. */
  public void counted() {
    count.increment();
  }

  /**
   * Logs a failure the first time its kind is seen.
   *
   * @param kind what identifies the failure, such as the class that does not decode
   * @param detail the full explanation for the log
   */
  public void logOnce(String kind, String detail) {
    if (logged.size() < MAX_REMEMBERED && logged.add(kind)) {
      LOG.warn("Dropped a record of {} and treated its key as absent: {} (further records failing the same way"
          + " are dropped and counted without a log line)", storeName, detail);
    }
  }

  /** Returns how many records were dropped. */
  public long count() {
    return count.sum();
  }
}
