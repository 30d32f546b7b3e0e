package com.example.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.hibernate.SessionFactory;

/**
 * A library whose database and cache files live in one temporary directory. Its tiercache configuration is a
 * small file written there that includes the application's {@code library-cache.conf} and sets the directory
 * of the disk tiers, as a deployment would; Hibernate gets that file as {@code hibernate.javax.cache.uri}.
 * Opening twice over the same directory is a restart: the same database, the same cache files.
 */
final class TemporaryLibrary {

  static final String PROVIDER = "io.tiercache.spi.TierCachingProvider";

  private final String jdbcUrl;
  private final URI cacheConfiguration;

  TemporaryLibrary(Path directory) {
    this.jdbcUrl = "jdbc:h2:file:" + directory.resolve("library");
    this.cacheConfiguration = writeCacheConfiguration(directory);
  }

  /** Opens a session factory over this directory. */
  SessionFactory open() {
    return Library.open(jdbcUrl, cacheConfiguration.toString());
  }

  /**
   * Returns the JCache cache behind a region of an open session factory. JSR-107 gives one manager per URI
   * and class loader, and Hibernate asks the provider with the provider's default class loader, so this is
   * the manager Hibernate uses; it belongs to the session factory, which closes it.
   */
  Cache<Object, Object> region(String name) {
    CachingProvider provider = Caching.getCachingProvider(PROVIDER);
    CacheManager manager = provider.getCacheManager(cacheConfiguration, provider.getDefaultClassLoader());
    Cache<Object, Object> cache = manager.getCache(name);
    if (cache == null) {
      throw new AssertionError("no cache " + name + " in " + manager.getURI());
    }
    return cache;
  }

  private static URI writeCacheConfiguration(Path directory) {
    Path file = directory.resolve("library-cache-test.conf");
    String cacheDirectory = directory.resolve("tiercache").toString().replace("\\", "\\\\").replace("\"", "\\\"");
    try {
      Files.writeString(file, "include required(classpath(\"" + Library.CACHE_CONFIGURATION + "\"))\n"
          + "tiercache.directory = \"" + cacheDirectory + "\"\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toUri();
  }
}
