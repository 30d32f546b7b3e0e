package io.tiercache.tier.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.util.Locale;

/**
 * Turns the configured addresses into Lettuce's {@link RedisURI}s, and into text without credentials (public for
 * the configuration's messages).
 */
public final class RedisAddresses {

  private RedisAddresses() { }

  /**
   * Parses one configured address, applying the configured user and password over the URI's own.
   *
   * @throws IllegalArgumentException naming the problem (not the password) when the address is not a
   *     {@code redis://} or {@code rediss://} URI with a host
   */
  static RedisURI parse(String address, RedisSettings settings) {
    String shown = withoutCredentials(address);
    URI uri;
    try {
      uri = URI.create(address.trim());
    } catch (IllegalArgumentException e) {
      // not chained: the parser's message quotes the whole address, password included
      throw new IllegalArgumentException("'" + shown + "' is not a URI (special characters in a password must be"
          + " percent-encoded, or set it as redis.password)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("'" + shown + "' must start with redis:// (or rediss:// for TLS)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("'" + shown + "' names no host");
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(address.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + shown + "' is not a Redis URI"); // its message may quote it
    }
    if (settings.password() != null) {
      if (settings.user() != null) {
        parsed.setCredentialsProvider(io.lettuce.core.RedisCredentialsProvider.from(
            () -> io.lettuce.core.RedisCredentials.just(settings.user(), settings.password())));
      } else {
        String user = userOf(uri); // the URI's user, if it names one, with the configured password
        parsed.setCredentialsProvider(io.lettuce.core.RedisCredentialsProvider.from(
            () -> io.lettuce.core.RedisCredentials.just(user, settings.password())));
      }
    }
    parsed.setTimeout(settings.timeout());
    return parsed;
  }

  private static String userOf(URI uri) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null) {
      return null;
    }
    String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : "";
    return user.isEmpty() ? null : user;
  }

  /** Returns {@code address} with any user and password removed, for logs and messages. */
  public static String withoutCredentials(String address) {
    String trimmed = address.trim();
    int scheme = trimmed.indexOf("://");
    int at = trimmed.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      return trimmed.substring(0, scheme + 3) + trimmed.substring(at + 1);
    }
    return trimmed;
  }

  /** Returns {@code host:port} of a Lettuce URI. */
  static String hostAndPort(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }
}
