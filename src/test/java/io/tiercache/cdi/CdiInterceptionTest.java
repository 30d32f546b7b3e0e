package io.tiercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The annotations under Weld SE 6, through the portable extension and the interceptors. */
class CdiInterceptionTest extends AnnotationBehaviour {

  private static WeldContainer container;

  @BeforeAll
  static void start() {
    container = new Weld("tiercache-cdi-test").disableDiscovery().addExtension(new CacheAnnotationsExtension())
        .addBeanClasses(Greeter.class).initialize();
  }

  @AfterAll
  static void stop() {
    container.shutdown();
  }

  @Override
  protected GreeterApi greeter() {
    return container.select(Greeter.class).get();
  }

  @Test
  void theInterceptorsSeeTheCalls() {
    long before = Interception.interceptedCalls();
    greeter().greet("counted");
    assertThat(Interception.interceptedCalls()).isEqualTo(before + 1);
  }
}
