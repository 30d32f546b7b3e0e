package io.tiercache.cli;

import java.io.PrintWriter;

/**
 * Shows how far long work has come, on a terminal only: a line on standard error rewritten at most five times
 * a second, cleared when the work ends. Output piped to a file or another program gets none of it.
 */
final class Progress implements AutoCloseable {

  private final PrintWriter err;
  private final String label;
  private final boolean shown;
  private long count;
  private long lastShownAt;

  Progress(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
    this.shown = onTerminal() && !Boolean.getBoolean("tiercache.cli.quiet");
  }

  /**
   * True when standard error is a terminal: up to JDK 21 {@code System.console()} is null otherwise; from JDK 22
   * it is not, and {@code Console.isTerminal()} (looked up, since this builds for 17) says.
   */
  private static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException olderJdk) {
      return true;
    }
  }

  /** Counts one more unit of work. */
  void step() {
    count++;
    if (shown && (count & 255) == 0) {
      long now = System.currentTimeMillis();
      if (now - lastShownAt >= 200) {
        lastShownAt = now;
        err.print("\r" + label + ": " + count);
        err.flush();
      }
    }
  }

  long count() {
    return count;
  }

  @Override
  public void close() {
    if (shown && lastShownAt != 0) {
      err.print("\r" + " ".repeat(label.length() + 24) + "\r");
      err.flush();
    }
  }
}
