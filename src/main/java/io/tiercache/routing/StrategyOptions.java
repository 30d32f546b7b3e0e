package io.tiercache.routing;

import java.util.Map;

/** Reads typed strategy options with errors that name the option and what it accepts. */
final class StrategyOptions {

  private StrategyOptions() { }

  static long bytes(Map<String, String> options, String name, long defaultValue) {
    String raw = options.get(name);
    if (raw == null) {
      return defaultValue;
    }
    java.util.regex.Matcher parsed = java.util.regex.Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB|B)?")
        .matcher(raw.trim());
    try {
      if (!parsed.matches()) {
        throw new NumberFormatException();
      }
      long value = Long.parseLong(parsed.group(1));
      String unit = parsed.group(2) == null ? "B" : parsed.group(2);
      int shift = unit.startsWith("K") ? 10 : unit.startsWith("M") ? 20 : unit.startsWith("G") ? 30 : 0;
      if (value > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException();
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strategy option '" + name + "' must be a byte count >= 0 (a number,"
          + " optionally with KiB, MiB or GiB), was '" + raw + "'");
    }
  }

  static String tier(String option, String value) {
    if (TierNames.rank(value) < 0) {
      throw new IllegalArgumentException("strategy option '" + option + "' names tier '" + value
          + "'; allowed: " + String.join(", ", TierNames.ALL));
    }
    return value;
  }
}
