package io.tiercache.cli;

import java.util.Locale;

/** Byte counts for people: 512 B, 4.0 KiB, 1.2 MiB. */
final class Sizes {

  private Sizes() { }

  static String of(long bytes) {
    if (bytes < 0) {
      return "-";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /**
   * Reads a byte count: a number, optionally followed by B, KiB, MiB or GiB.
   *
   * @param option names the option in the error
   * @throws CliException naming the option and what it accepts
   */
  static long parse(String text, String option) {
    java.util.regex.Matcher parsed = java.util.regex.Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?")
        .matcher(text.trim());
    if (!parsed.matches()) {
      throw new CliException(option + " must be a byte count (a number, optionally with KiB, MiB or GiB), was '"
          + text + "'");
    }
    String unit = parsed.group(2) == null ? "B" : parsed.group(2);
    int shift = unit.equals("KiB") ? 10 : unit.equals("MiB") ? 20 : unit.equals("GiB") ? 30 : 0;
    return Long.parseLong(parsed.group(1)) << shift;
  }
}
