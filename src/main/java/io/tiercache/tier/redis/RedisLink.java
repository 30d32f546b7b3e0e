package io.tiercache.tier.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.tiercache.tier.TierException;
import io.tiercache.tier.TierUnavailableException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Redis tier's connections: one multiplexed connection for commands (to a standalone server, or Lettuce's
 * cluster connection, which routes each key to its master and follows failovers), a publish/subscribe
 * connection for changes, and plain connections to each master for client tracking. It checks the server
 * when it opens, so a wrong host, password or server kind fails {@code createCache} with a precise message,
 * and it turns Lettuce's exceptions into ones that name the server.
 */
final class RedisLink implements AutoCloseable {

  private static final Object RESOURCES_LOCK = new Object();
  private static ClientResources sharedResources;  // guarded by RESOURCES_LOCK
  private static int resourceUsers;                // guarded by RESOURCES_LOCK

  private final RedisSettings settings;
  private final List<RedisURI> addresses;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> commands;
  private final io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]> async;
  private final ClientResources resources;
  private final String where;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private RedisLink(RedisSettings settings, List<RedisURI> addresses, AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> connection, RedisClusterCommands<byte[], byte[]> commands,
      io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]> async, ClientResources resources) {
    this.settings = settings;
    this.addresses = addresses;
    this.client = client;
    this.connection = connection;
    this.commands = commands;
    this.async = async;
    this.resources = resources;
    this.where = "Redis " + settings.describe();
  }

  /**
   * Connects and checks the server.
   *
   * @throws TierUnavailableException naming the server and what is wrong: unknown host, nothing listening,
   *     authentication refused, a cluster node configured as a standalone server or the other way round
   */
  static RedisLink open(RedisSettings settings) {
    List<RedisURI> addresses = new ArrayList<>();
    try {
      if (settings.isCluster()) {
        for (String seed : settings.cluster()) {
          addresses.add(RedisAddresses.parse(seed, settings));
        }
      } else {
        addresses.add(RedisAddresses.parse(settings.uri(), settings));
      }
    } catch (IllegalArgumentException e) {
      throw new TierUnavailableException("redis." + (settings.isCluster() ? "cluster" : "uri") + " "
          + e.getMessage(), e);
    }
    ClientResources resources = acquireResources();
    try {
      checkKind(settings, addresses, resources);
      if (settings.isCluster()) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, addresses);
        cluster.setOptions(ClusterClientOptions.builder(clientOptions(settings, null))
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(Duration.ofSeconds(2))
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                .build())
            .validateClusterNodeMembership(false)
            .build());
        try {
          StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
          return new RedisLink(settings, addresses, cluster, connection, connection.sync(), connection.async(),
              resources);
        } catch (RuntimeException e) {
          cluster.shutdown(0, 1, TimeUnit.SECONDS);
          throw e;
        }
      }
      RedisClient standalone = RedisClient.create(resources, addresses.get(0));
      standalone.setOptions(clientOptions(settings, null));
      try {
        StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
        return new RedisLink(settings, addresses, standalone, connection, connection.sync(), connection.async(),
            resources);
      } catch (RuntimeException e) {
        standalone.shutdown(0, 1, TimeUnit.SECONDS);
        throw e;
      }
    } catch (TierUnavailableException e) {
      releaseResources();
      throw e;
    } catch (RuntimeException e) {
      releaseResources();
      throw new TierUnavailableException("Redis " + settings.describe() + ": " + reason(e), e);
    }
  }

  /**
   * Connects to the first address once on its own and asks whether it runs in cluster mode, so that a
   * cluster node given as {@code redis.uri}, or a standalone server given as {@code redis.cluster}, is refused
   * with a message saying so (Lettuce would otherwise fail later with MOVED or a partition error).
   */
  private static void checkKind(RedisSettings settings, List<RedisURI> seeds, ClientResources resources) {
    TierUnavailableException unreachable = null;
    for (RedisURI seed : seeds) { // a cluster is reachable through any seed; the first that answers decides
      try {
        checkKind(settings, seed, resources);
        return;
      } catch (TierUnavailableException e) {
        if (!(e.getCause() instanceof RuntimeException) || !isUnreachable(e.getCause())) {
          throw e;
        }
        unreachable = e;
      }
    }
    throw unreachable;
  }

  private static void checkKind(RedisSettings settings, RedisURI seed, ClientResources resources) {
    RedisClient probe = RedisClient.create(resources, seed);
    probe.setOptions(clientOptions(settings, null));
    try (StatefulRedisConnection<byte[], byte[]> connection = probe.connect(ByteArrayCodec.INSTANCE)) {
      String info = connection.sync().info("cluster");
      boolean clusterNode = info.contains("cluster_enabled:1");
      String shown = RedisAddresses.hostAndPort(seed);
      if (clusterNode && !settings.isCluster()) {
        throw new TierUnavailableException("redis.uri names " + shown + ", which is a node of a Redis cluster;"
            + " list the cluster's nodes under redis.cluster instead", null);
      }
      if (!clusterNode && settings.isCluster()) {
        throw new TierUnavailableException("redis.cluster names " + shown + ", which is a standalone Redis"
            + " server (cluster support disabled); give it as redis.uri instead", null);
      }
    } catch (TierUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TierUnavailableException("Redis at " + RedisAddresses.hostAndPort(seed) + ": " + reason(e), e);
    } finally {
      probe.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  private static ClientOptions clientOptions(RedisSettings settings, ProtocolVersion protocol) {
    ClientOptions.Builder options = ClientOptions.builder()
        .autoReconnect(true)
        // fail at once while disconnected instead of queueing: a caller learns within its timeout, never later
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build());
    if (protocol != null) {
      options.protocolVersion(protocol);
    }
    return options.build();
  }

  /** Returns the commands of the main connection, thread-safe and multiplexed. */
  RedisClusterCommands<byte[], byte[]> commands() {
    return commands;
  }

  /** Returns the asynchronous commands of the main connection, for work nobody waits for. */
  io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]> async() {
    return async;
  }

  /** Returns the settings. */
  RedisSettings settings() {
    return settings;
  }

  /** Opens a publish/subscribe connection (to the server, or to a node of the cluster). */
  StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
    if (client instanceof RedisClusterClient) {
      return ((RedisClusterClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
    }
    return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
  }

  /**
   * Returns the addresses of the masters now: the server itself, or every master of the cluster as the
   * client last saw the topology; null while those masters do not serve all 16384 slots (a master failed and
   * no replica has taken over yet, or the client has not seen the promotion), since keys of the missing slots
   * may then change on a node this process does not track.
   */
  List<RedisURI> masters() {
    if (!(connection instanceof StatefulRedisClusterConnection)) {
      return List.of(addresses.get(0));
    }
    List<RedisURI> masters = new ArrayList<>();
    int slots = 0;
    for (RedisClusterNode node : ((StatefulRedisClusterConnection<byte[], byte[]>) connection).getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
          && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && node.getSlots() != null
          && !node.getSlots().isEmpty()) {
        slots += node.getSlots().size();
        RedisURI address = RedisURI.builder(addresses.get(0)).withHost(node.getUri().getHost())
            .withPort(node.getUri().getPort()).build();
        masters.add(address);
      }
    }
    return slots == 16384 ? masters : null;
  }

  /**
   * Opens a RESP3 connection to one master for client tracking, with a client of its own so that closing it
   * closes everything it started.
   */
  Dedicated connectDedicated(RedisURI master) {
    RedisClient dedicated = RedisClient.create(resources, master);
    dedicated.setOptions(clientOptions(settings, ProtocolVersion.RESP3));
    try {
      return new Dedicated(dedicated, dedicated.connect(ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      dedicated.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** A connection with the client made for it alone. */
  static final class Dedicated implements AutoCloseable {
    final RedisClient client;
    final StatefulRedisConnection<byte[], byte[]> connection;

    Dedicated(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection) {
      this.client = client;
      this.connection = connection;
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
      client.shutdownAsync(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Returns the client or connection when it is a {@code type}, for unwrapping. */
  <T> T unwrap(Class<T> type) {
    if (type.isInstance(client)) {
      return type.cast(client);
    }
    if (type.isInstance(connection)) {
      return type.cast(connection);
    }
    return null;
  }

  /** Returns a tier exception naming the server, the action and why it failed. */
  TierException failure(String action, RuntimeException e) {
    if (e instanceof TierException) {
      return (TierException) e;
    }
    return new TierException(where + ": " + action + " failed: " + reason(e), e);
  }

  /** Returns true when {@code e} means the server could not be reached or did not answer in time. */
  static boolean isUnreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException
          || cause instanceof ConnectException || cause instanceof java.nio.channels.ClosedChannelException
          || cause instanceof java.io.IOException) {
        return true;
      }
      String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("not connected") || message.contains("connection closed")
          || message.contains("connection disconnected")
          || message.contains("clusterdown") || message.contains("connection reset")) {
        return true;
      }
    }
    return false;
  }

  /** Returns true when a command failed before it was sent, so it can run again without doing anything twice. */
  static boolean wasNotSent(RuntimeException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("currently not connected") || message.contains("clusterdown")
        || message.contains("tryagain");
  }

  /** Says in a few words why a command or connection failed, without credentials. */
  static String reason(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (cause instanceof javax.net.ssl.SSLException) {
        return "TLS handshake failed (" + message + "); the server's certificate must be trusted by the JVM's"
            + " trust store (javax.net.ssl.trustStore)";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host (" + message + ")";
      }
      if (lower.contains("wrongpass") || lower.contains("invalid username-password")
          || lower.contains("invalid password")) {
        return "authentication failed: wrong user or password (WRONGPASS)";
      }
      if (lower.contains("noauth")) {
        return "the server requires a password (NOAUTH); set redis.password or put it in the URI";
      }
      if (cause instanceof ConnectException) {
        return "connection refused: nothing listens there";
      }
      if (cause instanceof RedisCommandTimeoutException) {
        return "no answer within " + message.replaceAll(".*timed out after ", "") + " (redis.timeout)";
      }
      if (lower.contains("currently not connected")) {
        return "not connected (the server is down or unreachable; reconnecting in the background)";
      }
    }
    return e instanceof RedisException || e.getCause() == null ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + e.getCause() + ")";
  }

  private static ClientResources acquireResources() {
    synchronized (RESOURCES_LOCK) {
      if (sharedResources == null) {
        sharedResources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
            .build();
      }
      resourceUsers++;
      return sharedResources;
    }
  }

  private static void releaseResources() {
    ClientResources closing = null;
    synchronized (RESOURCES_LOCK) {
      if (--resourceUsers == 0) {
        closing = sharedResources;
        sharedResources = null;
      }
    }
    if (closing != null) {
      closing.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // the shared resources are released once per link
    }
    try {
      connection.close();
    } catch (RuntimeException ignored) {
      // closing anyway
    }
    client.shutdown(0, 2, TimeUnit.SECONDS);
    releaseResources();
  }
}
