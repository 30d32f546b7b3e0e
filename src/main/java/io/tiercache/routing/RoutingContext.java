package io.tiercache.routing;

import java.util.List;

/** What a {@link TypeStrategy} may ask about the cache it routes for. */
public interface RoutingContext {

  /** Returns the names of the cache's tiers, in probe order. */
  List<String> tiers();

  /**
   * Returns the size in bytes the value takes once serialized. Cheap for {@code byte[]}, strings and
   * numbers; other values are serialized to measure them.
   */
  long serializedSize(Object value);
}
