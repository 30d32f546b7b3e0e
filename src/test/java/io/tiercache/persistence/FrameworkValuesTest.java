package io.tiercache.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCacheManager;
import io.tiercache.annotation.DefaultGeneratedCacheKey;
import io.tiercache.configuration.TierCacheConfiguration;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What frameworks store, on a composite layout with disk tiers and an allowlist naming only the application's
 * package: Hibernate's second-level cache keeps an entity as a {@code Serializable[]} of its fields, and
 * tiercache's own JCache annotations key entries by {@link DefaultGeneratedCacheKey}. Both must work without
 * allowlisting anything of the JDK's or tiercache's, and a refusal must advise a pattern that can be
 * configured.
 */
class FrameworkValuesTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  @TempDir
  Path directory;

  /** A part of an entity, as an application would have it. */
  public static final class Address implements Serializable {
    private static final long serialVersionUID = 1L;
    String city;

    public Address() { }

    Address(String city) {
      this.city = city;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Address && ((Address) other).city.equals(city);
    }

    @Override
    public int hashCode() {
      return city.hashCode();
    }
  }

  private CacheManager manager() {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(URI.create("tiercache:frameworks-"
        + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
  }

  @Test
  void serializableArraysAndAnnotationKeysLiveOnDiskTiersWithOnlyTheApplicationAllowlisted() {
    try (CacheManager manager = manager()) {
      Cache<Object, Object> cache = manager.createCache("entities", TierCacheConfiguration
          .builder(Object.class, Object.class).tiers("heap", "mapdb", "rocksdb").strategy("single")
          .strategyOption("tier", "rocksdb").allowlist(Address.class.getPackageName() + ".*").build());
      Serializable[] disassembled = {7L, "Ada", new Address("London"), null};
      DefaultGeneratedCacheKey key = new DefaultGeneratedCacheKey(new Object[] {"findPerson", 7L});
      cache.put(key, disassembled);
      assertThat((Object[]) cache.get(key)).containsExactly(disassembled);
      assertThat(cache.get(new DefaultGeneratedCacheKey(new Object[] {"findPerson", 7L})))
          .as("an equal generated key finds it").isNotNull();

      // an element nobody allowed is refused, and the advice names a pattern the configuration accepts
      assertThatThrownBy(() -> cache.put("k", new Serializable[] {new java.util.Vector<String>()}))
          .isInstanceOf(CacheException.class).hasMessageContaining("Add \"java.util.Vector\" to serializer.allowlist");
    }
  }
}
