package io.tiercache;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of listener deliveries and {@code loadAll} when the configuration names none: a cached pool of
 * daemon threads. Not the common fork-join pool, whose parallelism is one on a two-core machine, so a
 * slow listener there would stall every other cache's events.
 */
final class DefaultExecutor {

  static final Executor INSTANCE = create();

  private DefaultExecutor() { }

  private static ExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable, "tiercache-" + count.incrementAndGet());
      thread.setDaemon(true);
      // not the submitting application's loader, which a long-lived pool thread would otherwise pin
      thread.setContextClassLoader(DefaultExecutor.class.getClassLoader());
      return thread;
    };
    return Executors.newCachedThreadPool(factory);
  }
}
