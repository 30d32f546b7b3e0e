package io.tiercache.testing;

import io.tiercache.serialization.Serializer;
import java.util.concurrent.atomic.AtomicInteger;

/** A serializer that counts what it is asked to do, delegating the work. */
public final class CountingSerializer implements Serializer {

  public final AtomicInteger values = new AtomicInteger();
  public final AtomicInteger keys = new AtomicInteger();
  public final AtomicInteger valueReads = new AtomicInteger();
  public final AtomicInteger keyReads = new AtomicInteger();
  private final Serializer delegate;

  public CountingSerializer(Serializer delegate) {
    this.delegate = delegate;
  }

  /** Forgets every count. */
  public void reset() {
    values.set(0);
    keys.set(0);
    valueReads.set(0);
    keyReads.set(0);
  }

  @Override
  public byte id() {
    return delegate.id();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public byte[] serialize(Object object) {
    values.incrementAndGet();
    return delegate.serialize(object);
  }

  @Override
  public byte[] serialize(Object object, int headroom) {
    values.incrementAndGet();
    return delegate.serialize(object, headroom);
  }

  @Override
  public byte[] serializeKey(Object key) {
    keys.incrementAndGet();
    return delegate.serializeKey(key);
  }

  @Override
  public Object deserializeKey(byte[] bytes, int offset, int length) {
    keyReads.incrementAndGet();
    return delegate.deserializeKey(bytes, offset, length);
  }

  @Override
  public Object deserialize(byte[] bytes, int offset, int length) {
    valueReads.incrementAndGet();
    return delegate.deserialize(bytes, offset, length);
  }
}
