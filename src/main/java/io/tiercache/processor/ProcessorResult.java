package io.tiercache.processor;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * One key's result of {@code invokeAll}: a value, or the exception the processor raised for that key.
 * Internal: not API.
 *
 * @param <T> the result type
 */
public final class ProcessorResult<T> implements EntryProcessorResult<T> {

  private final T value;
  private final EntryProcessorException failure;

  private ProcessorResult(T value, EntryProcessorException failure) {
    this.value = value;
    this.failure = failure;
  }

  /** A successful result. */
  public static <T> ProcessorResult<T> of(T value) {
    return new ProcessorResult<>(value, null);
  }

  /** A failed result. */
  public static <T> ProcessorResult<T> failed(EntryProcessorException failure) {
    return new ProcessorResult<>(null, failure);
  }

  @Override
  public T get() {
    if (failure != null) {
      throw failure;
    }
    return value;
  }
}
