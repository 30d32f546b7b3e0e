package io.tiercache.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in strategies and their discovery by name. */
class StrategiesTest {

  private final ClassLoader loader = getClass().getClassLoader();

  private final RoutingContext context = new RoutingContext() {
    @Override
    public List<String> tiers() {
      return TierNames.ALL;
    }

    @Override
    public long serializedSize(Object value) {
      return value instanceof byte[] ? ((byte[]) value).length : 10;
    }
  };

  @Test
  void sizeStrategySplitsAtItsThresholds() {
    TypeStrategy strategy = TypeStrategies.create("size",
        Map.of("heap-max-bytes", "100", "mapdb-max-bytes", "1000"), loader);
    assertThat(strategy.route("k", new byte[100], context)).isEqualTo(TierNames.HEAP);
    assertThat(strategy.route("k", new byte[101], context)).isEqualTo(TierNames.MAPDB);
    assertThat(strategy.route("k", new byte[1000], context)).isEqualTo(TierNames.MAPDB);
    assertThat(strategy.route("k", new byte[1001], context)).isEqualTo(TierNames.ROCKSDB);
    assertThat(strategy.routesByKeyOnly()).isFalse();
  }

  @Test
  void sizeStrategyOptionsAreValidatedByName() {
    assertThatThrownBy(() -> TypeStrategies.create("size", Map.of("heap-max-bytes", "lots"), loader))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap-max-bytes").hasMessageContaining("lots");
    assertThatThrownBy(() -> TypeStrategies.create("size",
        Map.of("heap-max-bytes", "10", "mapdb-max-bytes", "5"), loader))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap-max-bytes <= mapdb-max-bytes");
  }

  interface Report { }

  static class BaseReport implements Report { }

  static final class MonthlyReport extends BaseReport { }

  @Test
  void classStrategyMatchesClassThenSuperclassesThenInterfaces() {
    TypeStrategy strategy = TypeStrategies.create("class", Map.of(
        "classes." + BaseReport.class.getName(), "mapdb",
        "classes." + Report.class.getName(), "rocksdb",
        "default", "heap"), loader);
    assertThat(strategy.route("k", new MonthlyReport(), context)).isEqualTo(TierNames.MAPDB);
    assertThat(strategy.route("k", new Report() { }, context)).isEqualTo(TierNames.ROCKSDB);
    assertThat(strategy.route("k", "text", context)).isEqualTo(TierNames.HEAP);
    assertThatThrownBy(() -> TypeStrategies.create("class", Map.of("classes.x.Y", "disk"), loader))
        .hasMessageContaining("disk").hasMessageContaining("heap, mapdb, rocksdb");
  }

  @StoreIn(TierNames.ROCKSDB)
  static class Archived { }

  static final class ArchivedChild extends Archived { }

  @StoreIn("floppy")
  static final class Misplaced { }

  @Test
  void annotationStrategyReadsStoreInIncludingInheritedOnes() {
    TypeStrategy strategy = TypeStrategies.create("annotation", Map.of(), loader);
    assertThat(strategy.route("k", new Archived(), context)).isEqualTo(TierNames.ROCKSDB);
    assertThat(strategy.route("k", new ArchivedChild(), context)).isEqualTo(TierNames.ROCKSDB);
    assertThat(strategy.route("k", 42, context)).isEqualTo(TierNames.HEAP);
    assertThatThrownBy(() -> strategy.route("k", new Misplaced(), context))
        .hasMessageContaining("floppy").hasMessageContaining(Misplaced.class.getName());
  }

  @Test
  void singleTierStrategyRoutesByKeyAlone() {
    TypeStrategy strategy = TypeStrategies.create("single", Map.of("tier", "mapdb"), loader);
    assertThat(strategy.routesByKeyOnly()).isTrue();
    assertThat(strategy.route("k", null, context)).isEqualTo(TierNames.MAPDB);
  }

  @Test
  void customStrategiesAreFoundThroughServiceLoaderAndUnknownNamesListTheKnownOnes() {
    // the TCK's spread strategy is registered in META-INF/services on the test class path
    assertThat(TypeStrategies.create("spread", Map.of(), loader)).isNotNull();
    assertThatThrownBy(() -> TypeStrategies.create("psychic", Map.of(), loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("psychic").hasMessageContaining("size").hasMessageContaining("spread");
  }
}
