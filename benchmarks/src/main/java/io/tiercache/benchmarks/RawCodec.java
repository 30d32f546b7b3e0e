package io.tiercache.benchmarks;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * How the raw engines store values: {@code byte[]} as they are, everything else through a plain Kryo — the
 * least work a hand-written store would do, which is what makes the raw engines physical limits.
 */
final class RawCodec {

  private static final ThreadLocal<Kryo> KRYO = ThreadLocal.withInitial(() -> {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    return kryo;
  });

  private RawCodec() { }

  static byte[] encode(Object value) {
    if (value instanceof byte[]) {
      return (byte[]) value;
    }
    Output output = new Output(256, -1);
    KRYO.get().writeClassAndObject(output, value);
    return output.toBytes();
  }

  static Object decode(byte[] bytes, boolean raw) {
    if (raw) {
      return bytes;
    }
    return KRYO.get().readClassAndObject(new Input(bytes));
  }

  static byte[] key(Object key) {
    int k = (Integer) key;
    return new byte[] {(byte) (k >>> 24), (byte) (k >>> 16), (byte) (k >>> 8), (byte) k};
  }
}
