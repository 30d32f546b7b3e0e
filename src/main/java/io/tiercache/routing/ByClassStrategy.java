package io.tiercache.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes by the value's class: a map from class names to tiers, matched against the value's class, then its
 * superclasses, then its interfaces; values of unmapped classes go to {@code default}. Verdicts are cached
 * per class, so routing costs one lookup after the first value of a class.
 *
 * <p>Options: {@code classes."com.example.Report" = rocksdb} and so on, and {@code default} (heap).
 */
public final class ByClassStrategy implements TypeStrategy {

  /** The strategy's name in configuration. */
  public static final String NAME = "class";

  private final Map<String, String> tiersByClass;
  private final String defaultTier;
  private final ClassValue<String> verdicts = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return resolve(type);
    }
  };

  /**
   * @param tiersByClass class name to tier name
   * @param defaultTier the tier of values of unmapped classes
   */
  public ByClassStrategy(Map<String, String> tiersByClass, String defaultTier) {
    this.tiersByClass = new LinkedHashMap<>(tiersByClass);
    this.defaultTier = defaultTier;
  }

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    return verdicts.get(value.getClass());
  }

  private String resolve(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      String tier = tiersByClass.get(c.getName());
      if (tier != null) {
        return tier;
      }
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> face : c.getInterfaces()) {
        String tier = tiersByClass.get(face.getName());
        if (tier != null) {
          return tier;
        }
      }
    }
    return defaultTier;
  }

  /** Creates class strategies from {@code classes.<name>} and {@code default} options. */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      Map<String, String> mapping = new LinkedHashMap<>();
      for (Map.Entry<String, String> option : options.entrySet()) {
        if (option.getKey().startsWith("classes.")) {
          String className = option.getKey().substring("classes.".length()).replace("\"", "");
          mapping.put(className, StrategyOptions.tier(option.getKey(), option.getValue()));
        } else if (!option.getKey().equals("default") && !option.getKey().equals("name")) {
          throw new IllegalArgumentException("unknown option '" + option.getKey()
              + "' of the class strategy; allowed: classes.<class name>, default");
        }
      }
      String defaultTier = StrategyOptions.tier("default", options.getOrDefault("default", TierNames.HEAP));
      return new ByClassStrategy(mapping, defaultTier);
    }
  }
}
