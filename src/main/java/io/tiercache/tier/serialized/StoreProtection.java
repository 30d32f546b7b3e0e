package io.tiercache.tier.serialized;

/**
 * Puts a store's protection in place when the store opens: reads what the store says about how it was
 * protected (its marker), and returns the store to use. {@link #NONE} leaves it as it is, but refuses a store
 * that was encrypted: reading it without its keys would drop every record as damaged.
 */
@FunctionalInterface
public interface StoreProtection {

  /** No protection: plain records. */
  StoreProtection NONE = (store, name) -> {
    if (store.get(ProtectedStore.MARKER_KEY) != null) {
      throw new io.tiercache.tier.TierUnavailableException(name + " holds encrypted records, but its cache has"
          + " no encryption configured; configure the encryption it was written with", null);
    }
    return store;
  };

  /**
   * Returns the store to use in place of {@code store}.
   *
   * @param name the store, for messages
   * @throws io.tiercache.tier.TierUnavailableException naming what is wrong (a missing or wrong key)
   */
  ByteStore protect(ByteStore store, String name);
}
