package io.tiercache.routing;

import java.util.Map;

/**
 * Creates a {@link TypeStrategy} from configuration. Factories are found with {@link java.util.ServiceLoader}
 * (register the implementation in {@code META-INF/services/io.tiercache.routing.TypeStrategyFactory}) and
 * chosen by {@link #name()} in a cache's {@code strategy.name}.
 */
public interface TypeStrategyFactory {

  /** Returns the name configuration uses for this strategy. */
  String name();

  /**
   * Creates a strategy.
   *
   * @param options the strategy's section of the configuration, as strings (nested keys dotted)
   * @throws IllegalArgumentException if an option is invalid, naming the option and the allowed values
   */
  TypeStrategy create(Map<String, String> options);
}
