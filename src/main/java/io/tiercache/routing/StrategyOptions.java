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
    try {
      long value = Long.parseLong(raw.trim());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strategy option '" + name + "' must be a byte count >= 0, was '"
          + raw + "'");
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
