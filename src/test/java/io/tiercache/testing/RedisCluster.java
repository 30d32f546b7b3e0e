package io.tiercache.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis cluster of three masters, each with one replica, on free loopback ports, made with
 * {@code redis-cli --cluster create}. The node timeout is short (1 s) so that a killed master's replica takes
 * over within seconds.
 */
public final class RedisCluster implements AutoCloseable {

  private static RedisCluster shared;

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  /** Returns the cluster every test of this JVM may share (never killed). */
  public static synchronized RedisCluster shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** Starts six nodes and joins them into three masters with a replica each. */
  public static RedisCluster start() {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisServer.start(RedisServer.freePort(), List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
            "--cluster-replica-validity-factor", "0", "--cluster-require-full-coverage", "no")));
      }
      List<String> create = new ArrayList<>(List.of(RedisServer.redisBinary("redis-cli"), "--cluster", "create"));
      for (RedisServer node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      String output = RedisServer.run(create);
      if (!output.contains("All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
      }
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.awaitHealthy(30);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** Returns the seed URIs of every node. */
  public List<String> uris() {
    List<String> uris = new ArrayList<>();
    for (RedisServer node : nodes) {
      uris.add(node.uri());
    }
    return uris;
  }

  /** Returns the nodes that are masters now (as their servers report). */
  public List<RedisServer> masters() {
    List<RedisServer> masters = new ArrayList<>();
    for (RedisServer node : nodes) {
      if (node.isAlive() && node.cli("ROLE").startsWith("master")) {
        masters.add(node);
      }
    }
    return masters;
  }

  /** Returns every node, alive or killed. */
  public List<RedisServer> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Waits until every live node reports {@code cluster_state:ok}, three masters answer and every live replica
   * has finished its first synchronisation with its master (until then a failover would lose everything).
   *
   * @throws IllegalStateException if that does not happen within {@code seconds}
   */
  public void awaitHealthy(int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      boolean ok = masters().size() == 3;
      for (RedisServer node : nodes) {
        if (node.isAlive() && !node.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
          ok = false;
        }
        String role = node.isAlive() ? node.cli("ROLE") : "";
        if (role.startsWith("slave") && !role.contains("connected")) {
          ok = false;
        }
      }
      if (ok) {
        return;
      }
      RedisServer.sleep(100);
    }
    throw new IllegalStateException("The test cluster did not become healthy within " + seconds + " s");
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
