package io.tiercache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
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
    return kryo;
  }

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
