package io.tiercache.routing;

import java.util.Map;

/**
 * Routes by the {@link StoreIn} annotation on the value's class (inherited by subclasses); values of
 * unannotated classes go to {@code default} (heap). Verdicts are cached per class.
 */
public final class ByAnnotationStrategy implements TypeStrategy {

  /** The strategy's name in configuration. */
  public static final String NAME = "annotation";

  private final String defaultTier;
  private final ClassValue<String> verdicts = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      StoreIn annotation = type.getAnnotation(StoreIn.class);
      if (annotation == null) {
        return defaultTier;
      }
      if (TierNames.rank(annotation.value()) < 0) {
        throw new IllegalArgumentException("@StoreIn(\"" + annotation.value() + "\") on " + type.getName()
            + " names no tier; allowed: " + String.join(", ", TierNames.ALL));
      }
      return annotation.value();
    }
  };

  /** @param defaultTier the tier of values of unannotated classes */
  public ByAnnotationStrategy(String defaultTier) {
    this.defaultTier = defaultTier;
  }

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    return verdicts.get(value.getClass());
  }

  /** Creates annotation strategies from the {@code default} option. */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      return new ByAnnotationStrategy(
          StrategyOptions.tier("default", options.getOrDefault("default", TierNames.HEAP)));
    }
  }
}
