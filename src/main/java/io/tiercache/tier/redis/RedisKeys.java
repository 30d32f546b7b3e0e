package io.tiercache.tier.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The names of a cache's Redis keys. Every entry is a key of its own, {@code <prefix>e{<tag>}<key bytes>}, so a
 * cache's entries spread over every master of a cluster; the entry's lease, {@code <prefix>l{<tag>}<key bytes>},
 * carries the same hash tag, so the scripts that touch both run on one node. The tag is a hash of the key
 * bytes. The prefix holds no glob or hash-tag characters: cache and namespace names are percent-encoded.
 */
final class RedisKeys {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int TAG_LENGTH = 6;

  private final byte[] entryPrefix;
  private final byte[] leasePrefix;
  private final byte[] classes;
  private final byte[] channel;
  private final byte[] expiries;
  private final byte[] scanPattern;
  private final String prefix;

  /** @param namespace the cache's namespace, as configured (encoded here) */
  RedisKeys(String namespace) {
    this.prefix = "tc:" + encode(namespace) + ":";
    this.entryPrefix = (prefix + "e").getBytes(StandardCharsets.US_ASCII);
    this.leasePrefix = (prefix + "l").getBytes(StandardCharsets.US_ASCII);
    this.classes = (prefix + "classes").getBytes(StandardCharsets.US_ASCII);
    this.channel = (prefix + "changes").getBytes(StandardCharsets.US_ASCII);
    // not "e...": every key starting with the entry prefix is tracked, and the index must not invalidate
    this.expiries = (prefix + "index:expiry").getBytes(StandardCharsets.US_ASCII);
    this.scanPattern = (prefix + "e{*").getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the default namespace of a cache: its manager's URI and its own name. */
  static String defaultNamespace(String managerUri, String cacheName) {
    return managerUri + "/" + cacheName;
  }

  /** Returns the text every key of the cache starts with. */
  String prefix() {
    return prefix;
  }

  /** Returns the key of the entry stored under {@code keyBytes}. */
  byte[] entry(byte[] keyBytes) {
    return compose(entryPrefix, keyBytes);
  }

  /** Returns the key of the lease of the entry stored under {@code keyBytes}. */
  byte[] lease(byte[] keyBytes) {
    return compose(leasePrefix, keyBytes);
  }

  /** Returns the prefix of entry keys, for client tracking. */
  byte[] entryPrefix() {
    return entryPrefix.clone();
  }

  /** Returns the key of the hash of class ids the cache's records use. */
  byte[] classes() {
    return classes.clone();
  }

  /** Returns the channel the cache's changes are published on. */
  byte[] channel() {
    return channel.clone();
  }

  /** Returns the key of the sorted set of key bytes by expiry instant, which the expiry sweep reads. */
  byte[] expiries() {
    return expiries.clone();
  }

  /** Returns the SCAN pattern matching every entry key of the cache. */
  byte[] scanPattern() {
    return scanPattern.clone();
  }

  /** Returns true when {@code redisKey} is one of this cache's entry keys. */
  boolean isEntry(byte[] redisKey) {
    return redisKey.length > entryPrefix.length + TAG_LENGTH + 2
        && Arrays.equals(redisKey, 0, entryPrefix.length, entryPrefix, 0, entryPrefix.length)
        && redisKey[entryPrefix.length] == '{';
  }

  /** Returns the key bytes inside one of this cache's entry keys. */
  byte[] keyBytesOf(byte[] entryKey) {
    int start = entryPrefix.length + TAG_LENGTH + 2;
    return Arrays.copyOfRange(entryKey, start, entryKey.length);
  }

  private static byte[] compose(byte[] prefix, byte[] keyBytes) {
    byte[] key = new byte[prefix.length + TAG_LENGTH + 2 + keyBytes.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    int at = prefix.length;
    key[at++] = '{';
    int hash = tagHash(keyBytes);
    for (int i = TAG_LENGTH - 1; i >= 0; i--) {
      key[at + i] = HEX[hash & 0xF];
      hash >>>= 4;
    }
    at += TAG_LENGTH;
    key[at++] = '}';
    System.arraycopy(keyBytes, 0, key, at, keyBytes.length);
    return key;
  }

  /** A well-mixed hash of the key bytes: the hash tag decides the slot, so it must spread keys evenly. */
  private static int tagHash(byte[] bytes) {
    int h = 0x9747b28c;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x5bd1e995;
      h ^= h >>> 15;
    }
    h ^= h >>> 13;
    h *= 0x85ebca6b;
    h ^= h >>> 16;
    return h;
  }

  /**
   * Percent-encodes everything but letters, digits and {@code . _ - /}, so a name can never open a hash tag,
   * act as a glob in SCAN, or end the prefix early.
   */
  static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '-' || c == '/') {
        out.append(c);
      } else {
        out.append('%').append((char) HEX[(b >> 4) & 0xF]).append((char) HEX[b & 0xF]);
      }
    }
    return out.toString();
  }
}
