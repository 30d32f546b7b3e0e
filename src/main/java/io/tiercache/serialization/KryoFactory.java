package io.tiercache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Builds the Kryo instances tiercache uses. Kryo is not thread-safe, so instances live in pools; each is set
 * up alike: object references tracked (shared and cyclic graphs survive), classes instantiated through their
 * no-argument constructor when they have one and through Objenesis otherwise.
 */
public final class KryoFactory {

  private static final int POOL_SIZE = 64;

  private KryoFactory() { }

  /** Returns a new Kryo configured for in-memory copies, with registration not required. */
  public static Kryo newCopyingKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setCopyReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    return kryo;
  }

  /**
   * Returns the size in bytes {@code value} takes once serialized, measured with an unrestricted Kryo whose
   * output is thrown away (so measuring needs no allowlist: nothing measured is ever read back). Returns 0
   * for a value Kryo cannot serialize at all, which can only live on the heap anyway.
   */
  public static long measure(Object value) {
    Kryo kryo = MEASURING.obtain();
    Output output = MEASURING_OUTPUT.get();
    try {
      output.reset();
      kryo.writeClassAndObject(output, value);
      return output.total();
    } catch (RuntimeException e) {
      return 0;
    } finally {
      kryo.reset();
      MEASURING.free(kryo);
    }
  }

  private static final Pool<Kryo> MEASURING = pool();
  private static final ThreadLocal<Output> MEASURING_OUTPUT = ThreadLocal.withInitial(() -> new Output(4096, -1) {
    @Override
    public void flush() {
      // a counting sink: position and total are all that matter
    }
  });

  /** Returns a thread-safe pool of copying Kryo instances. */
  public static Pool<Kryo> pool() {
    return new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Kryo create() {
        return newCopyingKryo();
      }
    };
  }
}
