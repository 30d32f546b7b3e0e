package io.tiercache.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The default serializer: round trips, fast paths, deterministic keys, and the allowlist on both sides. */
class KryoSerializerProperties {

  private final ClassLoader loader = getClass().getClassLoader();

  private KryoSerializer serializer(ClassRegistry registry, String... allowed) {
    return new KryoSerializer(registry, ClassAllowlist.of(List.of(allowed)), () -> loader, "test store");
  }

  private final KryoSerializer serializer = serializer(ClassRegistry.inMemory());

  private Object roundTrip(Object value) {
    byte[] bytes = serializer.serialize(value);
    return serializer.deserialize(bytes, 0, bytes.length);
  }

  @Property(tries = 200)
  void fastPathValuesRoundTrip(@ForAll String text, @ForAll long number, @ForAll int small, @ForAll double real,
      @ForAll byte[] bytes, @ForAll boolean flag) {
    assertThat(roundTrip(text)).isEqualTo(text);
    assertThat(roundTrip(number)).isEqualTo(number);
    assertThat(roundTrip(small)).isEqualTo(small);
    assertThat(roundTrip(real)).isEqualTo(real);
    assertThat(roundTrip(bytes)).isEqualTo(bytes);
    assertThat(roundTrip(flag)).isEqualTo(flag);
    assertThat(serializer.serialize(text)).hasSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1);
  }

  @Property(tries = 200)
  void collectionsRoundTripAndEqualKeysGiveEqualBytes(@ForAll List<String> list, @ForAll Map<Integer, String> map) {
    ArrayList<String> arrayList = new ArrayList<>(list);
    HashMap<Integer, String> hashMap = new HashMap<>(map);
    assertThat(roundTrip(arrayList)).isEqualTo(arrayList);
    assertThat(roundTrip(hashMap)).isEqualTo(hashMap);
    assertThat(serializer.serialize(new ArrayList<>(list))).isEqualTo(serializer.serialize(arrayList));
  }

  /** An application class. */
  public static final class Point {
    int x;
    int y;

    Point() { }

    Point(int x, int y) {
      this.x = x;
      this.y = y;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Point && ((Point) o).x == x && ((Point) o).y == y;
    }

    @Override
    public int hashCode() {
      return 31 * x + y;
    }
  }

  @Example
  void aClassOutsideTheAllowlistIsRefusedOnWriteWithAPatternToAdd() {
    assertThatThrownBy(() -> serializer.serialize(new Point(1, 2)))
        .isInstanceOf(UnsafeClassException.class)
        .hasMessageContaining(Point.class.getName())
        .hasMessageContaining(Point.class.getPackageName() + ".*");
  }

  @Example
  void registrationsArePersistedAndReadBackByAFreshSerializer() throws Exception {
    Path file = Files.createTempFile("registry", ".txt");
    Files.delete(file);
    KryoSerializer writer = serializer(ClassRegistry.open(file), Point.class.getName());
    byte[] bytes = writer.serialize(new ArrayList<>(List.of(new Point(3, 4))));
    assertThat(Files.readString(file)).contains(Point.class.getName());

    KryoSerializer reader = serializer(ClassRegistry.open(file), Point.class.getName());
    assertThat(reader.deserialize(bytes, 0, bytes.length)).isEqualTo(List.of(new Point(3, 4)));

    KryoSerializer distrustful = serializer(ClassRegistry.open(file));
    assertThatThrownBy(() -> distrustful.deserialize(bytes, 0, bytes.length))
        .isInstanceOf(UnsafeClassException.class)
        .hasMessageContaining(Point.class.getName()).hasMessageContaining("neither registered nor allowlisted");
  }

  @Example
  void bytesThatNameAClassInsteadOfAnIdAreRefused() {
    // tag 0 (Kryo), then class id NAME + 2 = 1: "the class name follows"
    byte[] forged = {0, 1, 'j', 'a', 'v', 'a'};
    assertThatThrownBy(() -> serializer.deserialize(forged, 0, forged.length))
        .isInstanceOf(UnsafeClassException.class).hasMessageContaining("tampered");
    byte[] unknownId = {0, 100};
    assertThatThrownBy(() -> serializer.deserialize(unknownId, 0, unknownId.length))
        .isInstanceOf(UnsafeClassException.class).hasMessageContaining("class id 98");
  }

  @Example
  void allowlistPatternsMatchClassesPackagesAndTrees() {
    ClassAllowlist allowlist = ClassAllowlist.of(List.of("com.example.Order", "com.shop.*", "org.data.**"));
    assertThat(allowlist.allows("com.example.Order")).isTrue();
    assertThat(allowlist.allows("com.example.Other")).isFalse();
    assertThat(allowlist.allows("com.shop.Cart")).isTrue();
    assertThat(allowlist.allows("com.shop.sub.Cart")).isFalse();
    assertThat(allowlist.allows("org.data.deep.Row")).isTrue();
    assertThat(allowlist.allows("[Lcom.shop.Cart;")).isTrue();
    assertThat(allowlist.allows("[[I")).isTrue();
    assertThat(allowlist.allows("java.lang.Runtime")).isFalse();
    assertThatThrownBy(() -> ClassAllowlist.of(List.of("com..bad")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com..bad");
  }

  /** A key of two strings. */
  public static final class Pair {
    String left;
    String right;

    Pair() { }

    Pair(String left, String right) {
      this.left = left;
      this.right = right;
    }
  }

  @Example
  void equalKeysSerializeToEqualBytesWhateverTheirSharing() {
    KryoSerializer keys = serializer(ClassRegistry.inMemory(), Pair.class.getName());
    String shared = "same";
    byte[] sharing = keys.serializeKey(new Pair(shared, shared));
    byte[] distinct = keys.serializeKey(new Pair("same", new String("same")));
    assertThat(sharing).isEqualTo(distinct);
    Pair back = (Pair) keys.deserializeKey(sharing, 0, sharing.length);
    assertThat(back.left).isEqualTo("same");
    assertThat(back.right).isEqualTo("same");
  }

  @Example
  void patternsThatWouldOpenWholePlatformsAreRefused() {
    for (String broad : List.of("java.**", "java.lang.*", "javax.**", "org.**", "com.*", "sun.misc.*")) {
      assertThatThrownBy(() -> ClassAllowlist.of(List.of(broad))).as(broad)
          .isInstanceOf(IllegalArgumentException.class).message().containsAnyOf("too broad", "deserialization attacks");
    }
    assertThat(ClassAllowlist.of(List.of("com.example.**", "domain.*")).allows("domain.Beagle")).isTrue();
  }

  @Example
  void aRegistryWhoseLastLineWasTornByACrashOpensWithoutIt() throws Exception {
    Path file = Files.createTempFile("registry", ".txt");
    Files.writeString(file, "64\tjava.util.UUID\n65\tcom.exa");
    ClassRegistry registry = ClassRegistry.open(file);
    assertThat(registry.nameOf(64)).isEqualTo("java.util.UUID");
    assertThat(registry.nameOf(65)).isNull();
    assertThat(registry.idOf("com.example.Next", "0000beef")).isEqualTo(65);
    assertThat(Files.readString(file)).startsWith("64\tjava.util.UUID\n65\tcom.example.Next\t0000beef\t");
  }

  @Example
  void aReopenedRegistryKeepsEachIdsLayout() throws Exception {
    Path file = Files.createTempFile("registry", ".txt");
    assertThat(ClassRegistry.open(file).idOf("com.example.A", "0000000a")).isEqualTo(64);
    ClassRegistry reopened = ClassRegistry.open(file);
    assertThat(reopened.fingerprintOf(64)).isEqualTo("0000000a");
    assertThat(reopened.idOf("com.example.A", "0000000a")).isEqualTo(64);
    assertThat(reopened.idOf("com.example.A", "0000000b")).as("a changed layout, a new id").isEqualTo(65);
    assertThat(ClassRegistry.open(file).fingerprintOf(65)).isEqualTo("0000000b");
  }

  @Example
  void aRegistryLineWithAnyByteChangedIsRefused() throws Exception {
    Path file = Files.createTempFile("registry", ".txt");
    ClassRegistry.open(file).idOf("com.example.A", "0000000a");
    byte[] sound = Files.readAllBytes(file);
    for (int i = 0; i < sound.length - 1; i++) { // every byte but the final newline, one bit each
      byte[] damaged = sound.clone();
      damaged[i] ^= 0x08;
      Files.write(file, damaged);
      int position = i;
      assertThatThrownBy(() -> ClassRegistry.open(file)).as("byte %d", position)
          .isInstanceOf(SerializationException.class);
    }
  }

  @Example
  void anEmptiedRegistryIsRefusedSoThatNoClassIdIsEverReused() throws Exception {
    Path file = Files.createTempFile("registry", ".txt");
    ClassRegistry first = ClassRegistry.open(file);
    assertThat(first.idOf("com.example.Old", "00000001")).isEqualTo(64);
    assertThat(first.idOf("com.example.Old", "00000002")).as("a new layout, a new id").isEqualTo(65);
    assertThat(first.idOf("com.example.Old", "00000001")).isEqualTo(64);
    Files.writeString(file, ""); // emptied by hand: a new class must not get an id old records still carry
    assertThatThrownBy(() -> ClassRegistry.open(file)).isInstanceOf(SerializationException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("lines are missing");
  }

  @Example
  void frameworkArraysAreJudgedByTheirElementsAndTiercachesOwnKeysNeedNoAllowlisting() {
    KryoSerializer appOnly = serializer(ClassRegistry.inMemory(), Row.class.getName());
    // what Hibernate's second-level cache stores: a Serializable[] of allowed values
    java.io.Serializable[] disassembled = {new Row(7), "name", 42L, null};
    byte[] bytes = appOnly.serialize(disassembled);
    assertThat((Object[]) appOnly.deserialize(bytes, 0, bytes.length)).containsExactly(disassembled);
    // an element that is not allowed is still refused, element by element
    assertThatThrownBy(() -> appOnly.serialize(new java.io.Serializable[] {new Other()}))
        .isInstanceOf(UnsafeClassException.class).hasMessageContaining(Other.class.getName());
    io.tiercache.annotation.DefaultGeneratedCacheKey key =
        new io.tiercache.annotation.DefaultGeneratedCacheKey(new Object[] {"a", 1});
    byte[] keyBytes = serializer.serializeKey(key);
    assertThat(serializer.deserializeKey(keyBytes, 0, keyBytes.length)).isEqualTo(key);
  }

  @Example
  void theAdviceOfARefusalIsAlwaysAPatternTheAllowlistAccepts() {
    for (Object value : List.of(new Other(), new Other[] {new Other()}, new java.util.Random[0])) {
      Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(() -> serializer.serialize(value));
      assertThat(refusal).isInstanceOf(UnsafeClassException.class);
      String message = refusal.getMessage();
      String advice = message.substring(message.indexOf("Add \"") + 5, message.indexOf("\" to serializer"));
      ClassAllowlist.validate(advice); // throws if the advice could not be followed
      assertThat(ClassAllowlist.of(List.of(advice)).allows(value.getClass().getName())).as(advice).isTrue();
    }
    // a gadget gets no advice: nothing could admit it
    Throwable gadget = org.assertj.core.api.Assertions.catchThrowable(() -> serializer.serialize(
        new java.lang.ProcessBuilder[0]));
    assertThat(gadget).isInstanceOf(UnsafeClassException.class).hasMessageContaining("deserialization attacks")
        .hasMessageNotContaining("Add \"");
  }

  /** An application class that is Serializable, as entities' parts are. */
  public static final class Row implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    int id;

    Row() { }

    Row(int id) {
      this.id = id;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Row && ((Row) other).id == id;
    }

    @Override
    public int hashCode() {
      return id;
    }
  }

  /** An application class nobody allowlisted. */
  public static final class Other implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }
}
