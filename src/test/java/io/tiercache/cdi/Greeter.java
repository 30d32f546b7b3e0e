package io.tiercache.cdi;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** A bean whose methods count their invocations, so a test can tell a cached answer from a computed one. */
@CacheDefaults(cacheName = "greetings")
public class Greeter implements GreeterApi {

  private final AtomicInteger invocations = new AtomicInteger();

  @Override
  public int invocations() {
    return invocations.get();
  }

  @Override
  @CacheResult
  public String greet(String name) {
    invocations.incrementAndGet();
    return "Hello, " + name + " #" + invocations.get();
  }

  @Override
  @CacheResult(cacheName = "by-key-param")
  public String greetIn(String language, @CacheKey String name) {
    invocations.incrementAndGet();
    return language + ":" + name + " #" + invocations.get();
  }

  @Override
  @CachePut
  public void store(String name, @CacheValue String greeting) {
    invocations.incrementAndGet();
  }

  @Override
  @CacheRemove
  public void forget(String name) {
    invocations.incrementAndGet();
  }

  @Override
  @CacheRemoveAll
  public void forgetAll() {
    invocations.incrementAndGet();
  }

  @Override
  @CacheResult(cacheName = "fragile", exceptionCacheName = "fragile-failures",
      cachedExceptions = IllegalArgumentException.class)
  public String fragile(String input) {
    invocations.incrementAndGet();
    if (input.startsWith("bad")) {
      throw new IllegalArgumentException("rejected " + input + " #" + invocations.get());
    }
    if (input.startsWith("flaky")) {
      throw new IllegalStateException("flaky " + input + " #" + invocations.get());
    }
    return input.toUpperCase();
  }

  @Override
  @CacheResult(cacheName = "custom", cacheKeyGenerator = LowerCaseKeyGenerator.class)
  public String caseInsensitive(String name) {
    invocations.incrementAndGet();
    return name + " #" + invocations.get();
  }

  @Override
  @CacheResult(cacheName = "refreshed", skipGet = true)
  public String refreshed(String name) {
    invocations.incrementAndGet();
    return name + " #" + invocations.get();
  }

  @Override
  @CacheResult(cacheResolverFactory = FixedCacheResolverFactory.class)
  public String resolvedElsewhere(String name) {
    invocations.incrementAndGet();
    return name + " #" + invocations.get();
  }

  @Override
  @CachePut(cacheName = "eager", afterInvocation = false)
  public void storeEagerly(String name, @CacheValue String greeting, boolean fail) {
    invocations.incrementAndGet();
    if (fail) {
      throw new IllegalStateException("failed after the eager put");
    }
  }

  @Override
  @CacheRemove(cacheName = "eager", noEvictFor = IllegalArgumentException.class)
  public void forgetUnlessRejected(@CacheKey String name, boolean reject) {
    invocations.incrementAndGet();
    if (reject) {
      throw new IllegalArgumentException("rejected");
    }
  }
}
