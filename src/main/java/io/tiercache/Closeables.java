package io.tiercache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes what the user configured (loaders, writers, policies) when a cache closes, logging failures. */
final class Closeables {

  private static final Logger LOG = LoggerFactory.getLogger(Closeables.class);

  private Closeables() { }

  /** Closes {@code resource} if it is {@link AutoCloseable}; a failure is logged, never thrown. */
  static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable) {
      try {
        ((AutoCloseable) resource).close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", resource, e);
      }
    }
  }
}
