package io.tiercache.routing;

import java.util.Map;

/**
 * Puts every entry in one tier, chosen by the {@code tier} option (by default the first configured). It
 * routes by key alone, so reads go straight to that tier.
 */
public final class SingleTierStrategy implements TypeStrategy {

  /** The strategy's name in configuration. */
  public static final String NAME = "single";

  private final String tier;

  /** @param tier the tier name, or null for the first configured tier */
  public SingleTierStrategy(String tier) {
    this.tier = tier;
  }

  @Override
  public String route(Object key, Object value, RoutingContext context) {
    return tier == null ? context.tiers().get(0) : tier;
  }

  @Override
  public boolean routesByKeyOnly() {
    return true;
  }

  /** Creates single-tier strategies from the {@code tier} option. */
  public static final class Factory implements TypeStrategyFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public TypeStrategy create(Map<String, String> options) {
      String tier = options.get("tier");
      return new SingleTierStrategy(tier == null ? null : StrategyOptions.tier("tier", tier));
    }
  }
}
