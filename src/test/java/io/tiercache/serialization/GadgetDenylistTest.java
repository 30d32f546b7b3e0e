package io.tiercache.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.TestCaches;
import java.util.List;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classes deserialization attacks are built from are refused, even when an allowlist names them. */
class GadgetDenylistTest {

  @ParameterizedTest
  @ValueSource(strings = {"java.net.URLClassLoader", "javax.script.ScriptEngineManager", "java.lang.ProcessBuilder",
      "com.sun.rowset.JdbcRowSetImpl", "org.apache.commons.collections.functors.InvokerTransformer",
      "org.codehaus.groovy.runtime.MethodClosure", "com.example.MyClassLoader"})
  void anAllowlistNamingAGadgetIsRefused(String gadget) {
    assertThatThrownBy(() -> ClassAllowlist.of(List.of(gadget))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(gadget).hasMessageContaining("deserialization attacks");
  }

  @ParameterizedTest
  @ValueSource(strings = {"org.apache.commons.collections.functors.*", "org.codehaus.groovy.runtime.**",
      "com.sun.org.apache.xalan.internal.**", "javax.naming.**"})
  void aPatternOpeningAGadgetPackageIsRefused(String pattern) {
    assertThatThrownBy(() -> ClassAllowlist.of(List.of(pattern))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern);
  }

  @Test
  void aTreeThatIsAllowedStillNeverAdmitsTheGadgetsInsideIt() {
    ClassAllowlist allowlist = ClassAllowlist.of(List.of("org.apache.commons.collections.**", "com.example.**"));
    assertThat(allowlist.allows("org.apache.commons.collections.map.HashedMap")).isTrue();
    assertThat(allowlist.allows("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
    assertThat(allowlist.allows("org.apache.commons.collections.map.LazyMap")).isFalse();
    assertThat(allowlist.allows("com.example.Order")).isTrue();
    assertThat(allowlist.allows("com.example.util.PluginClassLoader")).isFalse();
    assertThat(allowlist.allows("[Lorg.apache.commons.collections.functors.InvokerTransformer;")).isFalse();
  }

  @Test
  void aCacheConfiguredWithAGadgetFailsToBeCreated() {
    try (CacheManager manager = TestCaches.newManager()) {
      assertThatThrownBy(() -> manager.createCache("gadget", TierCacheConfiguration.builder(String.class,
          Object.class).tiers("heap", "mapdb").allowlist("javax.script.ScriptEngineManager").build()))
          .hasStackTraceContaining("javax.script.ScriptEngineManager")
          .hasStackTraceContaining("deserialization attacks");
    }
  }
}
