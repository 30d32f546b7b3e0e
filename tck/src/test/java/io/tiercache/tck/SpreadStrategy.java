package io.tiercache.tck;

import io.tiercache.routing.RoutingContext;
import io.tiercache.routing.TypeStrategy;
import io.tiercache.routing.TypeStrategyFactory;
import java.util.Map;

/**
 * A deliberately restless strategy for running the TCK on composite caches: it routes by the value's hash,
 * so entries spread over every configured tier and most updates move an entry from one tier to another.
 * Registered through ServiceLoader, as a user's custom strategy would be.
 */
public final class SpreadStrategy implements TypeStrategy {

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    int tiers = context.tiers().size();
    return context.tiers().get(Math.floorMod(value.hashCode() * 31 + 7, tiers));
  }

  /** Creates the strategy; it has no options. */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return "spread";
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("the spread strategy has no options, got " + options.keySet());
      }
      return new SpreadStrategy();
    }
  }
}
