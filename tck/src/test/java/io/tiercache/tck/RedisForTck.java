package io.tiercache.tck;

import io.tiercache.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives a TCK run on a Redis layout its own server: when the system property {@code tiercache.tck.redis}
 * names a configuration template on the class path, a {@code redis-server} is started on a free loopback
 * port before any test, the template's {@code @REDIS_URI@} is replaced by its address, and the result becomes
 * the run's {@code tiercache.config}. The server is stopped when the run ends, passed or failed (and by the
 * test JVM's shutdown hook, should the session not end normally). Runs without the property are untouched.
 */
public final class RedisForTck implements LauncherSessionListener {

  /** The system property naming the configuration template. */
  public static final String PROPERTY = "tiercache.tck.redis";

  private RedisServer server;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String template = System.getProperty(PROPERTY);
    if (template == null || template.isBlank()) {
      return;
    }
    server = RedisServer.start();
    try (InputStream in = RedisForTck.class.getClassLoader().getResourceAsStream(template)) {
      if (in == null) {
        throw new IllegalStateException("No configuration template " + template + " on the class path");
      }
      String configuration = new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@REDIS_URI@", server.uri());
      Path file = Path.of("target", "tck-" + template.replace('/', '_')).toAbsolutePath();
      Files.writeString(file, configuration);
      System.setProperty("tiercache.config", file.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
