package io.tiercache.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds strategy factories by name: the built-ins and any registered with {@link ServiceLoader}. */
public final class TypeStrategies {

  private TypeStrategies() { }

  /**
   * Creates the strategy named {@code name}.
   *
   * @param classLoader where to look for custom factories
   * @throws IllegalArgumentException if no factory has that name, listing the names there are
   */
  public static TypeStrategy create(String name, Map<String, String> options, ClassLoader classLoader) {
    List<String> known = new ArrayList<>();
    for (TypeStrategyFactory factory : ServiceLoader.load(TypeStrategyFactory.class, classLoader)) {
      if (factory.name().equals(name)) {
        return factory.create(options);
      }
      known.add(factory.name());
    }
    throw new IllegalArgumentException("unknown strategy '" + name + "'; allowed: " + String.join(", ", known));
  }
}
