package io.tiercache.copy;

import com.esotericsoftware.kryo.Kryo;
import io.tiercache.serialization.KryoFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Array;
import java.util.Objects;

/**
 * The store-by-value copier. Immutable JDK types are returned as they are, primitive arrays are cloned, and
 * everything else is deep-copied by Kryo, which copies object graphs in memory without a byte round trip.
 *
 * <p>The first time a class is copied, the copy is checked: if Kryo fails on it, or the class defines
 * {@code equals} and the copy is not equal to its original (a class whose state Kryo's field copy cannot
 * reproduce, such as one relying on {@code readObject}), the class is copied by Java serialization from then
 * on. The verdict is remembered per class, so the check is paid once.
 */
public final class SerializingCopier implements Copier {

  private enum Strategy { UNDECIDED, KRYO, JAVA }

  // one Kryo per thread: a pool's queue costs two lock operations per copy, a thread-local none
  private final ThreadLocal<Kryo> kryos = ThreadLocal.withInitial(KryoFactory::newCopyingKryo);
  private final ClassValue<StrategyHolder> strategies = new ClassValue<>() {
    @Override
    protected StrategyHolder computeValue(Class<?> type) {
      return new StrategyHolder();
    }
  };

  @Override
  @SuppressWarnings("unchecked")
  public <T> T copy(T object, ClassLoader classLoader) {
    if (object == null) {
      return null;
    }
    Class<?> type = object.getClass();
    if (ImmutableTypes.isImmutable(type)) {
      return object;
    }
    if (type == byte[].class) {
      return (T) ((byte[]) object).clone(); // the most common blob: an intrinsic, no reflection
    }
    if (type.isArray() && type.getComponentType().isPrimitive()) {
      return (T) clonePrimitiveArray(object);
    }
    StrategyHolder holder = strategies.get(type);
    switch (holder.strategy) {
      case KRYO:
        return kryoCopy(object);
      case JAVA:
        return javaCopy(object, classLoader);
      default:
        return decideAndCopy(object, classLoader, holder);
    }
  }

  private <T> T decideAndCopy(T object, ClassLoader classLoader, StrategyHolder holder) {
    T copy;
    try {
      copy = kryoCopy(object);
    } catch (RuntimeException kryoFailed) {
      holder.strategy = Strategy.JAVA;
      return javaCopy(object, classLoader);
    }
    if (definesEquals(object.getClass()) && !Objects.equals(copy, object)) {
      holder.strategy = Strategy.JAVA;
      return javaCopy(object, classLoader);
    }
    holder.strategy = Strategy.KRYO;
    return copy;
  }

  private <T> T kryoCopy(T object) {
    return kryos.get().copy(object);
  }

  @SuppressWarnings("unchecked")
  private static <T> T javaCopy(T object, ClassLoader classLoader) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(object);
      }
      try (ObjectInputStream in = new ClassLoaderObjectInputStream(
          new ByteArrayInputStream(bytes.toByteArray()), classLoader)) {
        return (T) in.readObject();
      }
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("Cannot copy an instance of " + object.getClass().getName()
          + " for store-by-value: neither Kryo nor Java serialization can copy it (" + e.getMessage()
          + " is not Serializable). Make it Serializable or configure the cache store-by-reference.", e);
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("Cannot copy an instance of " + object.getClass().getName()
          + " for store-by-value: " + e, e);
    }
  }

  private static boolean definesEquals(Class<?> type) {
    try {
      return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Object clonePrimitiveArray(Object array) {
    int length = Array.getLength(array);
    Object copy = Array.newInstance(array.getClass().getComponentType(), length);
    System.arraycopy(array, 0, copy, 0, length);
    return copy;
  }

  /** The per-class verdict; a benign race only means two threads both run the one-off check. */
  private static final class StrategyHolder {
    volatile Strategy strategy = Strategy.UNDECIDED;
  }

  /** Resolves classes through the cache's class loader first, then the default mechanism. */
  private static final class ClassLoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    ClassLoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (classLoader != null) {
        try {
          return Class.forName(desc.getName(), false, classLoader);
        } catch (ClassNotFoundException ignored) {
          // fall through to the stream's default resolution, which also handles primitive types
        }
      }
      return super.resolveClass(desc);
    }
  }
}
