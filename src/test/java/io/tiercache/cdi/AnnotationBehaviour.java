package io.tiercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;

/**
 * The annotation semantics every way of applying them must show; subclasses supply the greeter (a Weld bean or a
 * plain proxy). Each assertion fails if interception did not happen: the greeter counts real invocations.
 */
abstract class AnnotationBehaviour {

  /** Returns a fresh greeter whose annotations are applied. */
  protected abstract GreeterApi greeter();

  protected CacheManager cacheManager() {
    return Caching.getCachingProvider().getCacheManager();
  }

  @Test
  void aSecondCallWithAnEqualKeyIsNotExecuted() {
    GreeterApi greeter = greeter();
    String first = greeter.greet("ada-" + System.nanoTime());
    int executed = greeter.invocations();
    String name = first.substring("Hello, ".length(), first.indexOf(" #"));
    assertThat(greeter.greet(name)).isEqualTo(first);
    assertThat(greeter.invocations()).isEqualTo(executed);
    assertThat(greeter.greet(name + "-other")).isNotEqualTo(first);
    assertThat(greeter.invocations()).isEqualTo(executed + 1);
  }

  @Test
  void onlyTheCacheKeyParameterMakesTheKey() {
    GreeterApi greeter = greeter();
    String name = "grace-" + System.nanoTime();
    String first = greeter.greetIn("en", name);
    assertThat(greeter.greetIn("fr", name)).isEqualTo(first);
    assertThat(greeter.invocations()).isEqualTo(1);
  }

  @Test
  void putRemoveAndRemoveAllChangeWhatTheCacheHolds() {
    GreeterApi greeter = greeter();
    String name = "alan-" + System.nanoTime();
    greeter.store(name, "stored greeting");
    assertThat(greeter.greet(name)).isEqualTo("stored greeting");
    assertThat(greeter.invocations()).isEqualTo(1); // only store ran
    greeter.forget(name);
    assertThat(greeter.greet(name)).startsWith("Hello, " + name);
    assertThat(greeter.invocations()).isEqualTo(3);
    Cache<Object, Object> greetings = cacheManager().getCache("greetings");
    assertThat(greetings.iterator().hasNext()).isTrue();
    greeter.forgetAll();
    assertThat(greetings.iterator().hasNext()).isFalse();
  }

  @Test
  void cachedExceptionsAreRethrownWithoutRunningTheMethodAndOthersAreNot() {
    GreeterApi greeter = greeter();
    String bad = "bad-" + System.nanoTime();
    assertThatThrownBy(() -> greeter.fragile(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("#1");
    assertThatThrownBy(() -> greeter.fragile(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("#1");
    assertThat(greeter.invocations()).isEqualTo(1);
    String flaky = "flaky-" + System.nanoTime();
    assertThatThrownBy(() -> greeter.fragile(flaky)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> greeter.fragile(flaky)).isInstanceOf(IllegalStateException.class);
    assertThat(greeter.invocations()).isEqualTo(3); // not a cached exception type: ran again
  }

  @Test
  void aCustomKeyGeneratorIsUsed() {
    GreeterApi greeter = greeter();
    String name = "Barbara" + System.nanoTime();
    String first = greeter.caseInsensitive(name);
    assertThat(greeter.caseInsensitive(name.toUpperCase())).isEqualTo(first);
    assertThat(greeter.invocations()).isEqualTo(1);
  }

  @Test
  void skipGetAlwaysRunsTheMethodAndRefreshesTheCache() {
    GreeterApi greeter = greeter();
    String name = "edsger-" + System.nanoTime();
    String first = greeter.refreshed(name);
    String second = greeter.refreshed(name);
    assertThat(second).isNotEqualTo(first);
    assertThat(greeter.invocations()).isEqualTo(2);
    assertThat(cacheManager().getCache("refreshed").get(
        new io.tiercache.annotation.DefaultGeneratedCacheKey(new Object[] {name}))).isEqualTo(second);
  }

  @Test
  void aCustomResolverFactoryChoosesTheCache() {
    GreeterApi greeter = greeter();
    String name = "tony-" + System.nanoTime();
    String value = greeter.resolvedElsewhere(name);
    assertThat(cacheManager().getCache(FixedCacheResolverFactory.CACHE).get(
        new io.tiercache.annotation.DefaultGeneratedCacheKey(new Object[] {name}))).isEqualTo(value);
  }

  @Test
  void aPutBeforeInvocationHappensEvenWhenTheMethodFailsAndRemovalHonoursNoEvictFor() {
    GreeterApi greeter = greeter();
    String name = "niklaus-" + System.nanoTime();
    assertThatThrownBy(() -> greeter.storeEagerly(name, "eager greeting", true))
        .isInstanceOf(IllegalStateException.class);
    Cache<Object, Object> eager = cacheManager().getCache("eager");
    Object key = new io.tiercache.annotation.DefaultGeneratedCacheKey(new Object[] {name, true});
    assertThat(eager.get(key)).isEqualTo("eager greeting");
    // @CacheRemove keys on @CacheKey name only; its own key here is {name}
    greeter.storeEagerly(name, "again", false);
    Object removeKey = new io.tiercache.annotation.DefaultGeneratedCacheKey(new Object[] {name});
    eager.put(removeKey, "to remove");
    assertThatThrownBy(() -> greeter.forgetUnlessRejected(name, true)).isInstanceOf(IllegalArgumentException.class);
    assertThat(eager.get(removeKey)).as("noEvictFor keeps the entry").isEqualTo("to remove");
    greeter.forgetUnlessRejected(name, false);
    assertThat(eager.get(removeKey)).isNull();
  }

  @Test
  void keysDoNotDependOnTheInstanceSoTwoBeansShareEntries() {
    GreeterApi first = greeter();
    GreeterApi second = greeter();
    String name = "barbara-" + System.nanoTime();
    String value = first.greet(name);
    assertThat(second.greet(name)).isEqualTo(value);
    assertThat(second.invocations()).isZero();
  }
}
