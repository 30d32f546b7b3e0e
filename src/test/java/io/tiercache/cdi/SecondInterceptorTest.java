package io.tiercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.cache.Cache;
import javax.cache.Caching;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An application that enables its own interceptor for the JSR-107 annotations: tiercache's step aside, so
 * each call is intercepted once and nothing is cached twice; unless the property says otherwise.
 */
class SecondInterceptorTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(CacheAnnotationsExtension.MODE_PROPERTY);
  }

  private static WeldContainer container(String name, boolean withOther) {
    Weld weld = new Weld(name).disableDiscovery().addExtension(new CacheAnnotationsExtension())
        .addBeanClasses(Greeter.class);
    if (withOther) {
      weld.addBeanClass(OtherCacheResultInterceptor.class); // globally enabled by its @Priority
    }
    return weld.initialize();
  }

  private static Cache<Object, Object> greetings() {
    return Caching.getCachingProvider().getCacheManager().getCache("greetings");
  }

  @Test
  void withAnotherEnabledInterceptorTiercachesStepAsideAndEachCallIsInterceptedOnce() {
    try (WeldContainer container = container("second-interceptor", true)) {
      Greeter greeter = container.select(Greeter.class).get();
      long oursBefore = Interception.interceptedCalls();
      int otherBefore = OtherCacheResultInterceptor.CALLS.get();

      String name = "once-" + System.nanoTime();
      String first = greeter.greet(name);
      assertThat(OtherCacheResultInterceptor.CALLS.get()).isEqualTo(otherBefore + 1);
      assertThat(Interception.interceptedCalls()).as("tiercache's interceptor let the call through")
          .isEqualTo(oursBefore);
      assertThat(first).endsWith("#1");
      Cache<Object, Object> cache = greetings();
      if (cache != null) {
        cache.forEach(entry -> assertThat(String.valueOf(entry.getValue())).as("cached by tiercache as well")
            .doesNotContain(name));
      }
    }
  }

  @Test
  void onMakesTiercachesInterceptAlongsideTheOther() {
    System.setProperty(CacheAnnotationsExtension.MODE_PROPERTY, "on");
    try (WeldContainer container = container("second-interceptor-on", true)) {
      long oursBefore = Interception.interceptedCalls();
      container.select(Greeter.class).get().greet("both-" + System.nanoTime());
      assertThat(Interception.interceptedCalls()).isEqualTo(oursBefore + 1);
    }
  }

  @Test
  void withoutAnotherOneTiercachesIntercept() {
    try (WeldContainer container = container("only-tiercache", false)) {
      long oursBefore = Interception.interceptedCalls();
      Greeter greeter = container.select(Greeter.class).get();
      String name = "alone-" + System.nanoTime();
      assertThat(greeter.greet(name)).isEqualTo(greeter.greet(name));
      assertThat(Interception.interceptedCalls()).isEqualTo(oursBefore + 2);
    }
  }

  @Test
  void aDiscoveredButDisabledInterceptorDoesNotMakeTiercachesStepAside() {
    Weld weld = new Weld("disabled-other").disableDiscovery().addExtension(new CacheAnnotationsExtension())
        .addBeanClasses(Greeter.class, DisabledCacheResultInterceptor.class);
    try (WeldContainer container = weld.initialize()) {
      long oursBefore = Interception.interceptedCalls();
      Greeter greeter = container.select(Greeter.class).get();
      String name = "disabled-" + System.nanoTime();
      assertThat(greeter.greet(name)).isEqualTo(greeter.greet(name));
      assertThat(Interception.interceptedCalls()).isEqualTo(oursBefore + 2);
    }
  }

  @Test
  void offStopsTiercachesInterceptors() {
    System.setProperty(CacheAnnotationsExtension.MODE_PROPERTY, "off");
    try (WeldContainer container = container("tiercache-off", false)) {
      long oursBefore = Interception.interceptedCalls();
      Greeter greeter = container.select(Greeter.class).get();
      String name = "off-" + System.nanoTime();
      assertThat(greeter.greet(name)).isNotEqualTo(greeter.greet(name));
      assertThat(Interception.interceptedCalls()).isEqualTo(oursBefore);
    }
  }

  @Test
  void aMisspelledModeFailsTheDeploymentNamingTheProperty() {
    System.setProperty(CacheAnnotationsExtension.MODE_PROPERTY, "of");
    assertThatThrownBy(() -> container("tiercache-typo", false).close())
        .hasStackTraceContaining("tiercache.cdi.interceptors is 'of'; allowed: auto");
  }
}
