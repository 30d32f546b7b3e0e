package io.tiercache.tier;

/** Why a tier dropped a mapping on its own, without the cache asking for it. */
public enum RemovalCause {
  /** The tier was over its capacity and chose this entry as a victim. */
  CAPACITY,
  /** The entry's expiry instant passed and the tier reclaimed it. */
  EXPIRED
}
