package io.tiercache.configuration;

import java.util.List;
import java.util.Map;

/**
 * The resolved tier layout of one cache, after programmatic settings, the file's section for the cache, the
 * file's defaults and the built-in defaults were layered in that order of precedence. Immutable.
 */
public final class CacheSettings {

  /** The MapDB tier's storage modes. */
  public enum MapDbMode {
    /** A memory-mapped file per cache, kept across restarts, with a log that makes it crash-safe. */
    FILE,
    /**
     * A memory-mapped file per cache without the log: faster writes, but a crash loses everything the tier
     * held (configured as {@code file-lost-on-crash}, so nobody picks it by accident).
     */
    FILE_LOST_ON_CRASH,
    /** Direct memory off the Java heap, gone when the cache closes. */
    DIRECT
  }

  private final List<String> tiers;
  private final boolean strict;
  private final boolean transientStore;
  private final String strategyName;
  private final Map<String, String> strategyOptions;
  private final String serializerName;
  private final List<String> allowlist;
  private final long heapMaximumSize;
  private final MapDbMode mapdbMode;
  private final long mapdbMaximumEntries;
  private final long mapdbMaximumBytes;
  private final boolean mapdbTransactions;
  private final long rocksdbMaximumEntries;
  private final long rocksdbMaximumBytes;
  private final boolean rocksdbSync;
  private final io.tiercache.tier.redis.RedisSettings redis;
  private final io.tiercache.encryption.EncryptionSettings encryption;

  /** Returns the encryption settings, {@code EncryptionSettings.DISABLED} unless enabled. */
  public io.tiercache.encryption.EncryptionSettings encryption() {
    return encryption;
  }

  CacheSettings(List<String> tiers, boolean strict, boolean transientStore, String strategyName,
      Map<String, String> strategyOptions, String serializerName, List<String> allowlist, long heapMaximumSize,
      MapDbMode mapdbMode, long mapdbMaximumEntries, long mapdbMaximumBytes, boolean mapdbTransactions,
      long rocksdbMaximumEntries, long rocksdbMaximumBytes, boolean rocksdbSync,
      io.tiercache.tier.redis.RedisSettings redis, io.tiercache.encryption.EncryptionSettings encryption) {
    this.encryption = encryption;
    this.tiers = List.copyOf(tiers);
    this.strict = strict;
    this.transientStore = transientStore;
    this.strategyName = strategyName;
    this.strategyOptions = Map.copyOf(strategyOptions);
    this.serializerName = serializerName;
    this.allowlist = List.copyOf(allowlist);
    this.heapMaximumSize = heapMaximumSize;
    this.mapdbMode = mapdbMode;
    this.mapdbMaximumEntries = mapdbMaximumEntries;
    this.mapdbMaximumBytes = mapdbMaximumBytes;
    this.mapdbTransactions = mapdbTransactions;
    this.rocksdbMaximumEntries = rocksdbMaximumEntries;
    this.rocksdbMaximumBytes = rocksdbMaximumBytes;
    this.rocksdbSync = rocksdbSync;
    this.redis = redis;
  }

  /**
   * Returns the Redis tier's settings, checked, with an empty namespace when none was configured; null unless
   * {@link #tiers()} lists redis.
   */
  public io.tiercache.tier.redis.RedisSettings redis() {
    return redis;
  }

  /** Returns the tiers, fastest first. */
  public List<String> tiers() {
    return tiers;
  }

  /** Returns true when a tier that cannot start fails the cache instead of falling back. */
  public boolean strict() {
    return strict;
  }

  /** Returns true when disk tiers start empty on every open. */
  public boolean transientStore() {
    return transientStore;
  }

  /** Returns the routing strategy's name. */
  public String strategyName() {
    return strategyName;
  }

  /** Returns the routing strategy's options (its section without {@code name}), dotted keys. */
  public Map<String, String> strategyOptions() {
    return strategyOptions;
  }

  /** Returns the serializer's name. */
  public String serializerName() {
    return serializerName;
  }

  /** Returns the extra allowlist patterns. */
  public List<String> allowlist() {
    return allowlist;
  }

  /** Returns the heap tier's maximum entry count, or -1. */
  public long heapMaximumSize() {
    return heapMaximumSize;
  }

  /** Returns the MapDB tier's mode. */
  public MapDbMode mapdbMode() {
    return mapdbMode;
  }

  /** Returns the MapDB tier's maximum entry count, or -1. */
  public long mapdbMaximumEntries() {
    return mapdbMaximumEntries;
  }

  /** Returns the MapDB tier's maximum bytes, or -1. */
  public long mapdbMaximumBytes() {
    return mapdbMaximumBytes;
  }

  /** Returns true when the MapDB tier commits each write through its write-ahead log. */
  public boolean mapdbTransactions() {
    return mapdbTransactions;
  }

  /** Returns the RocksDB tier's maximum entry count, or -1. */
  public long rocksdbMaximumEntries() {
    return rocksdbMaximumEntries;
  }

  /** Returns the RocksDB tier's maximum bytes, or -1. */
  public long rocksdbMaximumBytes() {
    return rocksdbMaximumBytes;
  }

  /** Returns true when each RocksDB write waits for its log to reach the disk. */
  public boolean rocksdbSync() {
    return rocksdbSync;
  }

  /** Returns true when any tier keeps data off the heap. */
  public boolean usesDiskOrOffHeap() {
    return tiers.size() > 1 || !tiers.get(0).equals("heap");
  }

  @Override
  public String toString() {
    return "CacheSettings[tiers=" + tiers + ", strategy=" + strategyName + ", transient=" + transientStore + "]";
  }
}
