package io.tiercache.tier.serialized;

/**
 * Puts the protection of a store that several processes share (the Redis tier) in place when it opens. Unlike
 * a disk store's ({@link StoreProtection}), everything the processes must agree on (the marker saying how the
 * records are protected, the wrapped data key) is kept in the shared store itself, beside the records, so that
 * every process holding the master keys reads the same records the same way.
 */
@FunctionalInterface
public interface SharedProtection {

  /** No protection: plain records; refuses a store whose records another process encrypts. */
  SharedProtection NONE = (items, name) -> {
    if (items.get(Items.MARKER) != null) {
      throw new io.tiercache.tier.TierUnavailableException(name + " holds encrypted records (other processes"
          + " share it with encryption), but this cache has no encryption configured; configure the same"
          + " encryption as theirs", null);
    }
    return null;
  };

  /**
   * Returns how the store's records are protected from now on, or null for plain records.
   *
   * @param items what the store keeps beside its records
   * @param name the store, for messages
   * @throws io.tiercache.tier.TierUnavailableException naming what is wrong (a missing or wrong key, a store
   *     written the other way)
   */
  RecordProtection protect(Items items, String name);

  /**
   * Destroys what {@link #protect} keeps in the store (its data key, so that copies of the records made
   * before can no longer be read), when the cache is destroyed. The default keeps nothing.
   *
   * @return true when there was a data key
   */
  default boolean destroy(Items items) {
    return false;
  }

  /** The few named values a shared store keeps beside its records, read and changed atomically. */
  interface Items {

    /** The item saying how the store's records are protected. */
    String MARKER = "encryption";

    /** The item holding the store's wrapped data key. */
    String DATA_KEY = "data-key";

    /** Returns the item's value, or null when there is none. */
    byte[] get(String item);

    /** Stores the item unless it exists; returns true when this call stored it. */
    boolean putIfAbsent(String item, byte[] value);

    /** Replaces the item if it still holds {@code expected}; returns true when this call replaced it. */
    boolean replace(String item, byte[] expected, byte[] value);

    /** Deletes the item; returns true when there was one. */
    boolean delete(String item);

    /** Returns true when the store holds at least one record. */
    boolean hasRecords();
  }
}
