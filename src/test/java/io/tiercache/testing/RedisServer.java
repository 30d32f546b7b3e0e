package io.tiercache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, started by the tests themselves: no server has
 * to be running before the build, and every one started here is stopped when the test JVM exits (and by
 * {@code .ci/run} from the pid files under {@code target/redis}, should the JVM itself be killed). Tests can
 * kill it with SIGKILL and start it again on the same port.
 *
 * <p>The shared instance ({@link #shared()}) serves every test that only needs a server; tests that kill a
 * server start their own.
 */
public final class RedisServer implements AutoCloseable {

  private static final Path ROOT = Path.of("target", "redis").toAbsolutePath();
  private static final List<RedisServer> STARTED = new ArrayList<>();
  private static RedisServer shared;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RedisServer::stopAll, "redis-test-servers-stop"));
  }

  private final int port;
  private final Path directory;
  private final List<String> extraArguments;
  private Process process;

  private RedisServer(int port, List<String> extraArguments) {
    this.port = port;
    this.directory = ROOT.resolve(Integer.toString(port));
    this.extraArguments = List.copyOf(extraArguments);
  }

  /** Returns the server every test of this JVM may share (never killed, flushed by whoever needs it empty). */
  public static synchronized RedisServer shared() {
    if (shared == null || !shared.isAlive()) {
      shared = start();
    }
    return shared;
  }

  /** Starts a standalone server on a free port. */
  public static RedisServer start(String... extraArguments) {
    return start(freePort(), List.of(extraArguments));
  }

  /** Starts a server on {@code port} with extra {@code redis-server} arguments (such as cluster settings). */
  public static RedisServer start(int port, List<String> extraArguments) {
    RedisServer server = new RedisServer(port, extraArguments);
    server.clearDirectory(); // a node of an earlier run on the same port would come up knowing its old cluster
    server.launch();
    synchronized (RedisServer.class) {
      STARTED.add(server);
    }
    return server;
  }

  /** Returns the server's URI, {@code redis://127.0.0.1:port}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Returns the port. */
  public int port() {
    return port;
  }

  /** Returns true while the process runs. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the server with SIGKILL, as a crash or a pulled cable would stop it. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /** Starts the server again on the same port, with the same arguments (and an empty data set). */
  public synchronized void restart() {
    kill();
    launch();
  }

  /** Returns the server's working directory, where SAVE writes its snapshot ({@code dump.rdb}). */
  public Path directory() {
    return directory;
  }

  /** Runs a {@code redis-cli} command against this server and returns what it printed. */
  public String cli(String... command) {
    List<String> line = new ArrayList<>(List.of(redisBinary("redis-cli"), "-h", "127.0.0.1", "-p",
        Integer.toString(port)));
    line.addAll(List.of(command));
    return run(line);
  }

  private void clearDirectory() {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear " + directory, e);
    }
  }

  private synchronized void launch() {
    try {
      Files.createDirectories(directory);
      List<String> command = new ArrayList<>(List.of(redisBinary("redis-server"), "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(),
          "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning",
          "--logfile", directory.resolve("redis.log").toString()));
      command.addAll(extraArguments);
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(directory.resolve("stdout.log").toFile()).start();
      Files.writeString(directory.resolve("redis.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start redis-server on port " + port, e);
    }
    awaitPort();
  }

  private void awaitPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited at once; see "
            + directory.resolve("redis.log"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        String answer = run(List.of(redisBinary("redis-cli"), "-p", Integer.toString(port), "PING"));
        if (answer.contains("PONG") || answer.contains("NOAUTH")) { // NOAUTH: up, with a password
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer within 20 s");
  }

  @Override
  public synchronized void close() {
    kill();
    synchronized (RedisServer.class) {
      STARTED.remove(this);
    }
  }

  private static synchronized void stopAll() {
    for (RedisServer server : new ArrayList<>(STARTED)) {
      server.kill();
    }
  }

  /** Returns the path of a Redis program, failing with what to do when Redis is not installed. */
  static String redisBinary(String name) {
    for (String directory : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
      Path candidate = Path.of(directory, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(name + " is not installed: the Redis tests need it (apt-get install"
        + " redis-server; .ci/run installs it when missing)");
  }

  /** Runs a program to its end and returns its output. */
  static String run(List<String> command) {
    try {
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = child.getInputStream().readAllBytes();
      waitFor(child);
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command, e);
    }
  }

  /** Returns a loopback port nobody listens on now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = socket.getLocalPort();
      if (port > 55_535) {
        return freePort(); // a cluster node also listens on port + 10000
      }
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
