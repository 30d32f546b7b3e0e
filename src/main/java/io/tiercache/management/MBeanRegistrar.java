package io.tiercache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans in the platform MBeanServer under the names JSR-107 gives them:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}, with the
 * characters an ObjectName value cannot hold ({@code , : = \n}) replaced by dots. Internal: not API.
 */
public final class MBeanRegistrar {

  /** The two kinds of cache MXBean. */
  public enum Kind {
    /** The {@link javax.cache.management.CacheMXBean}. */
    CONFIGURATION("CacheConfiguration"),
    /** The {@link javax.cache.management.CacheStatisticsMXBean}. */
    STATISTICS("CacheStatistics"),
    /** tiercache's own {@link CacheHealthMXBean}, in the {@code io.tiercache} domain. */
    HEALTH("CacheHealth");

    private final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MBeanRegistrar.class);

  private MBeanRegistrar() { }

  /** Returns the object name of a cache's MXBean of the given kind. */
  public static ObjectName objectName(Kind kind, String cacheManagerUri, String cacheName) {
    String domain = kind == Kind.HEALTH ? "io.tiercache" : "javax.cache";
    String name = domain + ":type=" + kind.type + ",CacheManager=" + safe(cacheManagerUri)
        + ",Cache=" + safe(cacheName);
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("Cannot build the MBean name " + name, e);
    }
  }

  private static String safe(String value) {
    return value == null ? "" : value.replaceAll("[,:=\n]", ".");
  }

  /**
   * Registers {@code bean} under {@code name} unless something is registered there already.
   *
   * @return true when this call registered the bean, so its owner may later unregister it
   */
  public static boolean register(Object bean, ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      server.registerMBean(bean, name);
      return true;
    } catch (InstanceAlreadyExistsException taken) {
      // two managers with one URI and different class loaders can both have a cache of this name
      LOG.warn("An MBean named {} is already registered (another cache manager with the same URI has a cache of"
          + " the same name); this cache's bean is not registered", name);
      return false;
    } catch (Exception e) {
      throw new CacheException("Cannot register the MBean " + name + ": " + e.getMessage(), e);
    }
  }

  /** Unregisters the MBean under {@code name} if there is one. */
  public static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException raced) {
      // already gone
    } catch (Exception e) {
      throw new CacheException("Cannot unregister the MBean " + name + ": " + e.getMessage(), e);
    }
  }
}
