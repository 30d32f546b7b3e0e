package io.tiercache.cdi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.annotation.CachingProxies;
import org.junit.jupiter.api.Test;

/** The same annotations without a container, through {@link CachingProxies}. */
class ProxyAnnotationsTest extends AnnotationBehaviour {

  @Override
  protected GreeterApi greeter() {
    return CachingProxies.create(GreeterApi.class, new Greeter(), cacheManager());
  }

  @Test
  void onlyInterfacesCanBeProxied() {
    assertThatThrownBy(() -> CachingProxies.create(Greeter.class, new Greeter()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
  }
}
