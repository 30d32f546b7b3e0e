package io.tiercache.tier.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a cache reaches its Redis tier: a standalone server ({@code redis.uri}) or a cluster's seed nodes
 * ({@code redis.cluster}), the namespace its keys live under, and how it behaves when the server is slow or
 * gone. Immutable; the password is kept out of {@link #toString()} and every message.
 */
public final class RedisSettings {

  /** What reads do while Redis cannot be reached. */
  public enum WhenUnreachable {
    /** Every operation fails with an exception naming the server (the default). */
    FAIL,
    /** Reads are misses; writes still fail. */
    MISS
  }

  private final String uri;
  private final List<String> cluster;
  private final String user;
  private final String password;
  private final String namespace;
  private final Duration timeout;
  private final Duration lease;
  private final Duration expiryGrace;
  private final WhenUnreachable whenUnreachable;
  private final boolean events;

  /**
   * @param uri a {@code redis://} or {@code rediss://} URI, or null when {@code cluster} is given
   * @param cluster seed URIs of a cluster, or empty when {@code uri} is given
   * @param user the user to authenticate as, or null (the URI's, or the default user)
   * @param password the password, or null (the URI's, or none)
   * @param namespace the prefix of every key of the cache; caches with the same namespace share entries (empty:
   *     not chosen yet, see {@link #withNamespace})
   * @param timeout how long a command may take before it fails
   * @param lease how long a key stays locked by a process that died while changing it
   * @param expiryGrace how long Redis keeps an expired entry before reclaiming it itself, so that an access
   *     after expiry still finds it and reports its expiry event
   * @param events true to publish this process's changes and hear those of others
   * @throws IllegalArgumentException naming the setting, when neither or both of uri and cluster are given or
   *     a duration is not positive
   */
  public RedisSettings(String uri, List<String> cluster, String user, String password, String namespace,
      Duration timeout, Duration lease, Duration expiryGrace, WhenUnreachable whenUnreachable, boolean events) {
    this.uri = uri == null || uri.isBlank() ? null : uri.trim();
    this.cluster = List.copyOf(cluster);
    this.user = user == null || user.isEmpty() ? null : user;
    this.password = password == null || password.isEmpty() ? null : password;
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.timeout = positive(timeout, "redis.timeout");
    this.lease = positive(lease, "redis.lease");
    this.expiryGrace = Objects.requireNonNull(expiryGrace, "expiryGrace");
    this.whenUnreachable = Objects.requireNonNull(whenUnreachable, "whenUnreachable");
    this.events = events;
    if ((this.uri == null) == this.cluster.isEmpty()) {
      throw new IllegalArgumentException(this.uri == null
          ? "the redis tier needs redis.uri (a standalone server) or redis.cluster (seed nodes of a cluster)"
          : "redis.uri and redis.cluster are both set; set one of them");
    }
  }

  private static Duration positive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + duration);
    }
    return duration;
  }

  /** Returns the standalone server's URI, or null for a cluster. */
  public String uri() {
    return uri;
  }

  /** Returns the cluster's seed URIs, empty for a standalone server. */
  public List<String> cluster() {
    return cluster;
  }

  /** Returns true for a cluster. */
  public boolean isCluster() {
    return uri == null;
  }

  /** Returns the user to authenticate as, or null. */
  public String user() {
    return user;
  }

  /** Returns the password, or null; never logged. */
  public String password() {
    return password;
  }

  /** Returns the namespace of the cache's keys. */
  public String namespace() {
    return namespace;
  }

  /** Returns how long a command may take. */
  public Duration timeout() {
    return timeout;
  }

  /** Returns how long a dead process can keep a key locked. */
  public Duration lease() {
    return lease;
  }

  /** Returns how long after its expiry an entry stays in Redis. */
  public Duration expiryGrace() {
    return expiryGrace;
  }

  /** Returns the same settings under another namespace. */
  public RedisSettings withNamespace(String other) {
    return new RedisSettings(uri, cluster, user, password, other, timeout, lease, expiryGrace, whenUnreachable,
        events);
  }

  /** Returns true when changes are published to and heard from other processes. */
  public boolean events() {
    return events;
  }

  /** Returns what reads do while Redis cannot be reached. */
  public WhenUnreachable whenUnreachable() {
    return whenUnreachable;
  }

  /** Returns where the tier connects, without credentials, for messages. */
  public String describe() {
    if (uri != null) {
      return RedisAddresses.withoutCredentials(uri);
    }
    StringBuilder out = new StringBuilder("cluster ");
    for (int i = 0; i < cluster.size(); i++) {
      out.append(i == 0 ? "" : ",").append(RedisAddresses.withoutCredentials(cluster.get(i)));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "RedisSettings[" + describe() + ", namespace=" + namespace + ", timeout=" + timeout + "]";
  }
}
