package io.tiercache.benchmarks;

import java.util.Map;
import java.util.Set;

/** One thing being measured: a cache or a raw engine, behind the few calls the workloads make. */
interface Subject extends AutoCloseable {

  Object get(Object key);

  void put(Object key, Object value);

  Map<Object, Object> getAll(Set<Object> keys);

  void putAll(Map<Object, Object> entries);

  @Override
  void close();
}
