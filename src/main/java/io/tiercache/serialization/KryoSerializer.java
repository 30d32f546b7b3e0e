package io.tiercache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The default serializer: Kryo, with pooled instances, a persistent {@link ClassRegistry} instead of class
 * names in the data, and the {@link ClassAllowlist} consulted for every class written or read.
 *
 * <p>{@code byte[]}, {@code String} and boxed primitives take fast paths that bypass Kryo: one tag byte and
 * the raw bytes. Everything else is tagged {@link #TAG_KRYO} and written by Kryo.
 */
public final class KryoSerializer implements Serializer {

  /** This serializer's id in record headers. */
  public static final byte ID = 1;

  /** Written by Kryo field by field: keys (whose bytes must be stable), and values written before 0.2. */
  static final byte TAG_KRYO = 0;
  /** Written by Kryo with fields by name, in chunks: values, readable after their class gained or lost fields. */
  static final byte TAG_KRYO_COMPATIBLE = 7;
  static final byte TAG_BYTES = 1;
  static final byte TAG_STRING = 2;
  static final byte TAG_LONG = 3;
  static final byte TAG_INTEGER = 4;
  static final byte TAG_DOUBLE = 5;
  static final byte TAG_BOOLEAN = 6;

  private final ClassRegistry registry;
  private final ClassAllowlist allowlist;
  private final Supplier<ClassLoader> classLoader;
  private final String storeName;
  private final Pool<Kryo> pool;        // values, fields by name
  private final Pool<Kryo> legacyPool;  // values written field by field, before compatible values
  private final Pool<Kryo> keyPool;     // keys, field by field

  /**
   * @param registry the store's persistent class registrations
   * @param allowlist the classes that may be written and read
   * @param classLoader supplies the cache manager's class loader, used for every class lookup
   * @param storeName names the store in error messages
   */
  public KryoSerializer(ClassRegistry registry, ClassAllowlist allowlist, Supplier<ClassLoader> classLoader,
      String storeName) {
    this.registry = registry;
    this.allowlist = allowlist;
    this.classLoader = classLoader;
    this.storeName = storeName;
    this.pool = new Pool<>(true, false, 32) {
      @Override
      protected Kryo create() {
        return newKryo(true, true);
      }
    };
    this.legacyPool = new Pool<>(true, false, 32) {
      @Override
      protected Kryo create() {
        return newKryo(true, false);
      }
    };
    this.keyPool = new Pool<>(true, false, 32) {
      @Override
      protected Kryo create() {
        return newKryo(false, false);
      }
    };
  }

  /**
   * A Kryo of this serializer. {@code compatible}: classes without a serializer of their own are written with
   * their field names, in chunks, so a reader whose class has since gained, lost or retyped fields skips what
   * it does not know and leaves new fields at their defaults, never mistaking one field for another. Field by
   * field otherwise, where a changed class is refused by its {@link ClassFingerprint}.
   */
  private Kryo newKryo(boolean references, boolean compatible) {
    RegistryClassResolver resolver = new RegistryClassResolver(!compatible);
    Kryo kryo = new Kryo(resolver, null);
    resolver.ready = true; // Kryo's constructor registers its built-ins through the resolver first
    kryo.setRegistrationRequired(true);
    // List.of, Set.of, Map.of: Kryo's field serializer cannot reach into java.util on Java 17
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo); // class names never reach the data: ids from the registry do
    // Values keep shared and cyclic graphs intact. Keys must give equal bytes for equal keys, which
    // reference tracking breaks (a String seen twice is written as a back-reference), so keys go without it.
    kryo.setReferences(references);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    if (compatible) {
      CompatibleFieldSerializer.CompatibleFieldSerializerConfig config =
          new CompatibleFieldSerializer.CompatibleFieldSerializerConfig();
      config.setChunkedEncoding(true); // a field whose type changed is skipped whole, not misread
      kryo.setDefaultSerializer(new SerializerFactory.CompatibleFieldSerializerFactory(config));
      // element classes are written even where a field's generic type names them: the data of a field the
      // reader no longer has is then read without that generic type, and must not depend on it
      kryo.setOptimizedGenerics(false);
    }
    return kryo;
  }

  @Override
  public byte id() {
    return ID;
  }

  @Override
  public String name() {
    return "kryo";
  }

  @Override
  public byte[] serialize(Object object) {
    return serialize(object, 0, pool);
  }

  @Override
  public byte[] serialize(Object object, int headroom) {
    return serialize(object, headroom, pool);
  }

  @Override
  public byte[] serializeKey(Object key) {
    return serialize(key, 0, keyPool);
  }

  private byte[] serialize(Object object, int headroom, Pool<Kryo> kryos) {
    if (object instanceof byte[]) {
      byte[] bytes = (byte[]) object;
      byte[] out = new byte[headroom + 1 + bytes.length];
      out[headroom] = TAG_BYTES;
      System.arraycopy(bytes, 0, out, headroom + 1, bytes.length);
      return out;
    }
    if (object instanceof String) {
      byte[] utf8 = ((String) object).getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[headroom + 1 + utf8.length];
      out[headroom] = TAG_STRING;
      System.arraycopy(utf8, 0, out, headroom + 1, utf8.length);
      return out;
    }
    if (object instanceof Long) {
      return tagged(headroom, TAG_LONG, (Long) object);
    }
    if (object instanceof Integer) {
      byte[] out = new byte[headroom + 5];
      out[headroom] = TAG_INTEGER;
      writeInt(out, headroom + 1, (Integer) object);
      return out;
    }
    if (object instanceof Double) {
      return tagged(headroom, TAG_DOUBLE, Double.doubleToRawLongBits((Double) object));
    }
    if (object instanceof Boolean) {
      byte[] out = new byte[headroom + 2];
      out[headroom] = TAG_BOOLEAN;
      out[headroom + 1] = (byte) ((Boolean) object ? 1 : 0);
      return out;
    }
    Kryo kryo = kryos.obtain();
    try (Output output = new Output(256 + headroom, -1)) {
      kryo.setClassLoader(classLoader.get());
      output.setPosition(headroom); // the caller's header goes there: the value is never copied behind it
      output.writeByte(kryos == pool ? TAG_KRYO_COMPATIBLE : TAG_KRYO);
      kryo.writeClassAndObject(output, object);
      return output.toBytes();
    } catch (UnsafeClassException e) {
      throw e;
    } catch (KryoException | IllegalArgumentException e) {
      UnsafeClassException unsafe = findUnsafe(e);
      if (unsafe != null) {
        throw unsafe;
      }
      throw new SerializationException("Cannot serialize a " + object.getClass().getName() + " for "
          + storeName + ": " + e.getMessage(), e);
    } finally {
      kryos.free(kryo);
    }
  }

  @Override
  public Object deserialize(byte[] bytes, int offset, int length) {
    return deserialize(bytes, offset, length, pool);
  }

  @Override
  public Object deserializeKey(byte[] bytes, int offset, int length) {
    return deserialize(bytes, offset, length, keyPool);
  }

  private Object deserialize(byte[] bytes, int offset, int length, Pool<Kryo> kryos) {
    if (length < 1) {
      throw new SerializationException("Empty record in " + storeName, null);
    }
    byte tag = bytes[offset];
    switch (tag) {
      case TAG_BYTES: {
        byte[] out = new byte[length - 1];
        System.arraycopy(bytes, offset + 1, out, 0, length - 1);
        return out;
      }
      case TAG_STRING:
        return new String(bytes, offset + 1, length - 1, StandardCharsets.UTF_8);
      case TAG_LONG:
        return readLong(bytes, offset + 1);
      case TAG_INTEGER:
        return readInt(bytes, offset + 1);
      case TAG_DOUBLE:
        return Double.longBitsToDouble(readLong(bytes, offset + 1));
      case TAG_BOOLEAN:
        return bytes[offset + 1] != 0;
      case TAG_KRYO:
        return readWithKryo(bytes, offset + 1, length - 1, kryos == pool ? legacyPool : kryos);
      case TAG_KRYO_COMPATIBLE:
        return readWithKryo(bytes, offset + 1, length - 1, pool);
      default:
        throw new SerializationException("Unknown serialization tag " + tag + " in " + storeName
            + ": the data was not written by this serializer", null);
    }
  }

  private Object readWithKryo(byte[] bytes, int offset, int length, Pool<Kryo> kryos) {
    Kryo kryo = kryos.obtain();
    try (Input input = new Input(bytes, offset, length)) {
      kryo.setClassLoader(classLoader.get());
      return kryo.readClassAndObject(input);
    } catch (UnsafeClassException e) {
      throw e;
    } catch (RuntimeException e) {
      UnsafeClassException unsafe = findUnsafe(e);
      if (unsafe != null) {
        throw unsafe;
      }
      throw new SerializationException("Cannot deserialize a record of " + storeName + ": " + e.getMessage(), e);
    } finally {
      kryos.free(kryo);
    }
  }

  private static UnsafeClassException findUnsafe(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnsafeClassException) {
        return (UnsafeClassException) cause;
      }
    }
    return null;
  }

  private static byte[] tagged(int headroom, byte tag, long value) {
    byte[] out = new byte[headroom + 9];
    out[headroom] = tag;
    for (int i = 0; i < 8; i++) {
      out[headroom + 1 + i] = (byte) (value >>> (56 - 8 * i));
    }
    return out;
  }

  private static long readLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  private static void writeInt(byte[] out, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      out[offset + i] = (byte) (value >>> (24 - 8 * i));
    }
  }

  private static int readInt(byte[] bytes, int offset) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  /**
   * Registers classes on first use with ids from the persistent registry, after the allowlist accepted
   * them; resolves ids read from data back to classes through the same checks.
   */
  private final class RegistryClassResolver extends DefaultClassResolver {

    private final boolean checksLayout;
    private boolean ready;

    RegistryClassResolver(boolean checksLayout) {
      this.checksLayout = checksLayout;
    }

    @Override
    public Registration getRegistration(Class type) {
      Registration registration = super.getRegistration(type);
      if (registration != null || type.isPrimitive() || !ready) {
        return registration;
      }
      String name = type.getName();
      if (!allowlist.allows(name)) {
        throw new UnsafeClassException(name, ClassAllowlist.isGadget(name)
            ? "Class " + name + " may not be written to " + storeName + ": it is a class deserialization attacks"
                + " are built from, which tiercache never stores, whatever the allowlist says."
            : "Class " + name + " may not be written to " + storeName + ": it is not allowlisted. Add \""
                + ClassAllowlist.advice(name) + "\" to serializer.allowlist in the cache's configuration.");
      }
      return register(type, registry.idOf(name, ClassFingerprint.of(type)));
    }

    @Override
    public Registration readClass(Input input) {
      int classId = input.readVarInt(true);
      if (classId == Kryo.NULL) {
        return null;
      }
      if (classId == NAME + 2) {
        throw new UnsafeClassException("(by name)", "A record of " + storeName
            + " names its class in the data; tiercache never writes class names, so the store was tampered"
            + " with or written by something else. Refusing to load it.");
      }
      int id = classId - 2;
      Registration registration = idToRegistration.get(id);
      if (registration != null) {
        return registration;
      }
      String name = registry.nameOf(id);
      if (name == null) {
        throw new UnsafeClassException("(id " + id + ")", "A record of " + storeName + " refers to class id "
            + id + ", which its class registry does not list; refusing to guess a class.");
      }
      if (!allowlist.allows(name)) {
        throw new UnsafeClassException(name, "A record of " + storeName + " names class " + name
            + (ClassAllowlist.isGadget(name) ? ", a class deserialization attacks are built from; refusing to"
                + " instantiate it whatever the allowlist says."
                : ", which is neither registered nor allowlisted; refusing to instantiate it. If the class is"
                    + " yours and trusted, add it to serializer.allowlist."));
      }
      Class<?> type;
      try {
        type = Class.forName(name, false, kryo.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new SerializationException("A record of " + storeName + " needs class " + name
            + ", which the cache's class loader cannot find", e);
      }
      String written = registry.fingerprintOf(id);
      String current = ClassFingerprint.of(type);
      if (checksLayout && written != null && !written.equals(current)) {
        throw new SerializationException("A record of " + storeName + " holds a " + name + " written field by"
            + " field before the class changed its fields (layout " + written + ", now " + current + "); it"
            + " cannot be read without risking one field being taken for another", null);
      }
      Registration resolved = new Registration(type, kryo.getDefaultSerializer(type), id);
      if (current.equals(written) || (written == null && classToRegistration.get(type) == null)) {
        return super.register(resolved); // the id writes of this class use too
      }
      idToRegistration.put(id, resolved); // an older layout's id: readable, never written again
      return resolved;
    }

    /** Registers directly with this resolver: Kryo.register would ask getRegistration first, and loop. */
    private Registration register(Class<?> type, int id) {
      return super.register(new Registration(type, kryo.getDefaultSerializer(type), id));
    }
  }
}
