package io.tiercache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a crash test's child JVM: starts it on the test's class path, waits until it prints {@code READY}, kills
 * it with SIGKILL (no shutdown hook, no clean close) {@code millis} later, and hands every line it printed
 * meanwhile to {@code lines}.
 */
final class KilledChild {

  private KilledChild() { }

  static void run(Class<?> main, List<String> arguments, int millis, Consumer<String> lines)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(arguments);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> preamble = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {
        preamble.add(line);
      }
      assertThat(line).as("child output: %s", preamble).isEqualTo("READY");
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        // through the handle, which leaves our pipe readable to the end
        child.toHandle().destroyForcibly();
      });
      killer.start();
      while ((line = out.readLine()) != null) {
        lines.accept(line);
      }
      killer.join();
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
