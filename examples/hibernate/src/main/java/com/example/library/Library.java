package com.example.library;

import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;

/**
 * Opens the library's {@link SessionFactory}: Hibernate ORM over a JDBC database, with its second-level
 * cache in tiercache through Hibernate's JCache region factory. The settings are spelled out as the property
 * names Hibernate documents, so they read the same as in a {@code persistence.xml} or
 * {@code hibernate.properties}.
 */
public final class Library {

  /** The tiercache configuration shipped with the application, a class path resource. */
  public static final String CACHE_CONFIGURATION = "library-cache.conf";

  private Library() {
  }

  /**
   * Opens a session factory.
   *
   * @param jdbcUrl the database; its tables are created or updated, never dropped, since the second-level
   *     cache may outlive the session factory and must not hold rows the database has lost
   * @param cacheConfiguration the tiercache configuration: a class path resource name (such as
   *     {@link #CACHE_CONFIGURATION}) or a URL; Hibernate resolves it to the URI of the JCache manager
   * @return the session factory; closing it closes its JCache manager, so disk tiers close cleanly
   */
  public static SessionFactory open(String jdbcUrl, String cacheConfiguration) {
    return new HibernatePersistenceConfiguration("library")
        .managedClass(Book.class)
        .jdbcUrl(jdbcUrl)
        .jdbcCredentials("sa", "")
        .schemaToolingAction(Action.UPDATE)
        // the second-level cache, on any JSR-107 provider through hibernate-jcache; tiercache is named
        // explicitly so another provider on the class path cannot be picked instead
        .property("hibernate.cache.use_second_level_cache", true)
        .property("hibernate.cache.use_query_cache", true)
        .property("hibernate.cache.region.factory_class", "jcache")
        .property("hibernate.javax.cache.provider", "io.tiercache.spi.TierCachingProvider")
        .property("hibernate.javax.cache.uri", cacheConfiguration)
        // entity regions are not declared in the file: tiercache creates them from its default section
        // when Hibernate asks, and "create" says that is intended (the default, create-warn, logs a WARN)
        .property("hibernate.javax.cache.missing_cache_strategy", "create")
        .property("hibernate.generate_statistics", true)
        .createEntityManagerFactory();
  }
}
