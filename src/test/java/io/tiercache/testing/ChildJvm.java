package io.tiercache.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM on the test's class path, running {@code main} of a class: a second process for tests of what
 * several processes share. Every line it prints is queued for the test; it can be killed with SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> history = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} of {@code mainClass} with {@code arguments}. */
  public static ChildJvm start(Class<?> mainClass, String... arguments) {
    return start(List.of(), mainClass, arguments);
  }

  /** Starts {@code main} of {@code mainClass} with JVM options (such as system properties) and arguments. */
  public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... arguments) {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(arguments));
    try {
      return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the next line starting with {@code prefix}, skipping others (kept for error messages).
   *
   * @throws IllegalStateException if none comes within {@code seconds}, with everything the child printed
   */
  public String awaitLine(String prefix, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IllegalStateException("The child printed no line starting with '" + prefix + "' within "
              + seconds + " s (alive: " + process.isAlive() + "); it printed:\n" + String.join("\n", history));
        }
        history.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes a line to the child's standard input. */
  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to the child: " + e, e);
    }
  }

  /** Returns the child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Asks the child to stop with SIGTERM (its shutdown hooks run) and returns its exit code. */
  public int terminate(int seconds) {
    process.destroy();
    return waitFor(seconds);
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() {
    process.toHandle().destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the child to end by itself and returns its exit code. */
  public int waitFor(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The child did not end within " + seconds + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
