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
    this.shown = System.console() != null && !Boolean.getBoolean("tiercache.cli.quiet");
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
