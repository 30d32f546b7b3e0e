package com.example.catalog;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets a Spring property choose where tiercache keeps its disk tiers. Spring Boot creates the JCache
 * {@code CacheManager} with properties that {@link JCachePropertiesCustomizer}s fill in, and tiercache reads
 * the property {@code tiercache.directory} from them, over the configuration file's {@code directory}. So
 * {@code catalog.cache.directory} can be set like any Spring property (command line, environment, or a
 * test's {@code @DynamicPropertySource}); when unset, the file decides.
 */
@Configuration(proxyBeanMethods = false)
public class CacheDirectoryConfiguration {

  /** The cache manager property tiercache reads its directory from. */
  static final String TIERCACHE_DIRECTORY = "tiercache.directory";

  @Bean
  JCachePropertiesCustomizer tiercacheDirectory(@Value("${catalog.cache.directory:}") String directory) {
    return properties -> {
      if (!directory.isBlank()) {
        properties.setProperty(TIERCACHE_DIRECTORY, directory);
      }
    };
  }
}
