package io.tiercache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the cache managers still open when the JVM shuts down (a SIGTERM, {@code System.exit}, the end of
 * {@code main}), so that disk tiers close cleanly: MapDB files marked closed, RocksDB memtables flushed, Redis
 * connections ended. One hook for the process, installed with the first manager; managers are held weakly, so
 * an undeployed application's managers are not kept alive by it. The system property
 * {@code tiercache.shutdown-hook=false} leaves closing to the application (an application server that manages
 * lifecycles itself).
 */
final class ManagersOnShutdown {

  /** The system property that turns the hook off when {@code false}. */
  static final String PROPERTY = "tiercache.shutdown-hook";

  private static final Logger LOG = LoggerFactory.getLogger(ManagersOnShutdown.class);
  private static final Set<TierCacheManager> OPEN = Collections.newSetFromMap(new WeakHashMap<>());
  private static boolean installed;

  private ManagersOnShutdown() { }

  static synchronized void opened(TierCacheManager manager) {
    if (!installed) {
      if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
        return;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(ManagersOnShutdown::closeAll, "tiercache-shutdown"));
      installed = true;
    }
    OPEN.add(manager);
  }

  static synchronized void closed(TierCacheManager manager) {
    OPEN.remove(manager);
  }

  private static void closeAll() {
    List<TierCacheManager> managers;
    synchronized (ManagersOnShutdown.class) {
      managers = new ArrayList<>(OPEN);
    }
    for (TierCacheManager manager : managers) {
      try {
        manager.close();
      } catch (Throwable e) { // one manager failing must not keep the others open
        LOG.warn("Closing cache manager {} at shutdown failed", manager.getURI(), e);
      }
    }
  }
}
