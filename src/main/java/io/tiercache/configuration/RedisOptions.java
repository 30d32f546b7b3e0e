package io.tiercache.configuration;

import java.time.Duration;
import java.util.List;

/**
 * The {@code redis} section of a cache's settings, as read and checked from the configuration: where the
 * server is, the key namespace, timeouts and failure behaviour. Immutable; the password never appears in
 * {@link #toString()}.
 */
public final class RedisOptions {

  private final String uri;
  private final List<String> cluster;
  private final String user;
  private final String password;
  private final String namespace;
  private final Duration timeout;
  private final Duration lease;
  private final Duration expiryGrace;
  private final boolean missWhenUnreachable;
  private final boolean events;

  RedisOptions(String uri, List<String> cluster, String user, String password, String namespace,
      Duration timeout, Duration lease, Duration expiryGrace, boolean missWhenUnreachable, boolean events) {
    this.uri = uri;
    this.cluster = List.copyOf(cluster);
    this.user = user;
    this.password = password;
    this.namespace = namespace;
    this.timeout = timeout;
    this.lease = lease;
    this.expiryGrace = expiryGrace;
    this.missWhenUnreachable = missWhenUnreachable;
    this.events = events;
  }

  /** Returns {@code redis.uri}, or an empty string. */
  public String uri() {
    return uri;
  }

  /** Returns {@code redis.cluster}, possibly empty. */
  public List<String> cluster() {
    return cluster;
  }

  /** Returns {@code redis.user}, or an empty string. */
  public String user() {
    return user;
  }

  /** Returns {@code redis.password}, or an empty string. */
  public String password() {
    return password;
  }

  /** Returns {@code redis.namespace}, or an empty string for the default (manager URI and cache name). */
  public String namespace() {
    return namespace;
  }

  /** Returns {@code redis.timeout}. */
  public Duration timeout() {
    return timeout;
  }

  /** Returns {@code redis.lease}. */
  public Duration lease() {
    return lease;
  }

  /** Returns {@code redis.expiry-grace}. */
  public Duration expiryGrace() {
    return expiryGrace;
  }

  /** Returns true when {@code redis.when-unreachable = miss}. */
  public boolean missWhenUnreachable() {
    return missWhenUnreachable;
  }

  /** Returns {@code redis.events}: whether changes are published to and heard from other processes. */
  public boolean events() {
    return events;
  }

  @Override
  public String toString() {
    return "RedisOptions[uri=" + (uri.isEmpty() ? "-" : io.tiercache.tier.redis.RedisAddresses.withoutCredentials(uri)) + ", cluster="
        + cluster.size() + " seeds, namespace=" + namespace + "]";
  }
}
