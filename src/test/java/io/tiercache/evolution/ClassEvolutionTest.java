package io.tiercache.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.management.CacheHealth;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Caches a class, then reopens the store with a second compiled version of the same class (same name, other
 * fields), each loaded by a class loader of its own as two deploys of an application would: stored entries
 * stay readable, a field is never taken for another, and what cannot be read is a counted miss, never an
 * exception that blocks a key.
 */
class ClassEvolutionTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();

  private static final String VERSION_1 = "package evolving; public class Item implements java.io.Serializable {"
      + " public String name; public int count; public String note; public java.util.List<String> tags; }";
  /** A field added. */
  private static final String ADDED = "package evolving; public class Item implements java.io.Serializable {"
      + " public String name; public int count; public String note; public java.util.List<String> tags;"
      + " public double price = 1.5; }";
  /** A field removed (tags), one renamed (note to remark) and one retyped (count, int to String). */
  private static final String REWORKED = "package evolving; public class Item implements java.io.Serializable {"
      + " public String name; public String count; public String remark; }";
  /** A key class and its next version, for the records whose keys were written field by field. */
  private static final String KEY_1 = "package evolving; public class Key implements java.io.Serializable {"
      + " public String id; public int hashCode() { return id.hashCode(); }"
      + " public boolean equals(Object o) { return o instanceof Key && ((Key) o).id.equals(id); } }";
  private static final String KEY_2 = "package evolving; public class Key implements java.io.Serializable {"
      + " public String id; public long version; public int hashCode() { return id.hashCode(); }"
      + " public boolean equals(Object o) { return o instanceof Key && ((Key) o).id.equals(id); } }";

  @TempDir
  Path directory;

  @TempDir
  Path classes;

  @ParameterizedTest
  @ValueSource(strings = {"rocksdb", "mapdb"})
  void anAddedFieldKeepsEveryStoredEntryReadable(String tier) throws Exception {
    writeVersion1(tier, 200);
    ClassLoader added = compile("added", ADDED);
    try (CacheManager manager = manager(added)) {
      Cache<String, Object> cache = cache(manager, tier);
      for (int i = 0; i < 200; i++) {
        Object item = cache.get("k" + i);
        assertThat(item).as("k%d", i).isNotNull();
        assertThat(field(item, "name")).isEqualTo("item-" + i);
        assertThat(field(item, "count")).isEqualTo(i);
        assertThat(field(item, "note")).isEqualTo("note-" + i);
        assertThat(field(item, "tags")).isEqualTo(List.of("t" + i));
        assertThat(field(item, "price")).as("the new field, at its default").isEqualTo(1.5);
      }
      // every operation works on the old entries: nothing has to be cleared first
      assertThat(cache.containsKey("k1")).isTrue();
      assertThat(cache.remove("k1")).isTrue();
      Object fresh = newItem(added, "fresh", 7);
      cache.put("k2", fresh);
      assertThat(field(cache.get("k2"), "name")).isEqualTo("fresh");
      assertThat(cache.unwrap(CacheHealth.class).dropped()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocksdb", "mapdb"})
  void removedRenamedAndRetypedFieldsNeverYieldAWrongValue(String tier) throws Exception {
    writeVersion1(tier, 200);
    try (CacheManager manager = manager(compile("reworked", REWORKED))) {
      Cache<String, Object> cache = cache(manager, tier);
      for (int i = 0; i < 200; i++) {
        Object item = cache.get("k" + i);
        assertThat(item).as("k%d", i).isNotNull();
        assertThat(field(item, "name")).as("the unchanged field keeps its value").isEqualTo("item-" + i);
        assertThat(field(item, "remark")).as("a renamed field is a new field: its default").isNull();
        assertThat(field(item, "count")).as("a retyped field is skipped, not misread").isNull();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocksdb", "mapdb"})
  void keysWrittenFieldByFieldBeforeTheirClassChangedAreDroppedAndCounted(String tier) throws Exception {
    ClassLoader first = compile("key1", KEY_1);
    try (CacheManager manager = manager(first)) {
      Cache<Object, String> cache = keyedCache(manager, tier);
      for (int i = 0; i < 10; i++) {
        Object key = first.loadClass("evolving.Key").getConstructor().newInstance();
        key.getClass().getField("id").set(key, "id-" + i);
        cache.put(key, "value-" + i);
      }
    }
    ClassLoader second = compile("key2", KEY_2);
    try (CacheManager manager = manager(second)) {
      Cache<Object, String> cache = keyedCache(manager, tier);
      Iterator<Cache.Entry<Object, String>> entries = cache.iterator();
      assertThat(entries.hasNext()).as("no key of the old layout is handed out").isFalse();
      assertThat(cache.unwrap(CacheHealth.class).dropped()).isEqualTo(10);
      Object key = second.loadClass("evolving.Key").getConstructor().newInstance();
      key.getClass().getField("id").set(key, "id-1");
      cache.put(key, "new");
      assertThat(cache.get(key)).isEqualTo("new");
    }
  }

  private void writeVersion1(String tier, int count) throws Exception {
    ClassLoader version1 = compile("v1", VERSION_1);
    try (CacheManager manager = manager(version1)) {
      Cache<String, Object> cache = cache(manager, tier);
      for (int i = 0; i < count; i++) {
        Object item = newItem(version1, "item-" + i, i);
        item.getClass().getField("note").set(item, "note-" + i);
        item.getClass().getField("tags").set(item, List.of("t" + i));
        cache.put("k" + i, item);
      }
    }
  }

  private static Object newItem(ClassLoader loader, String name, int count) throws Exception {
    Object item = loader.loadClass("evolving.Item").getConstructor().newInstance();
    item.getClass().getField("name").set(item, name);
    Field countField = item.getClass().getField("count");
    if (countField.getType() == int.class) {
      countField.setInt(item, count);
    }
    return item;
  }

  private static Object field(Object object, String name) throws Exception {
    return object.getClass().getField(name).get(object);
  }

  private Cache<String, Object> cache(CacheManager manager, String tier) {
    return manager.createCache("items", TierCacheConfiguration.builder(String.class, Object.class)
        .tiers(tier).allowlist("evolving.*").build());
  }

  private Cache<Object, String> keyedCache(CacheManager manager, String tier) {
    return manager.createCache("keyed", TierCacheConfiguration.builder(Object.class, String.class)
        .tiers(tier).allowlist("evolving.*").build());
  }

  private CacheManager manager(ClassLoader loader) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    return Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:evolution-" + MANAGERS.incrementAndGet()), loader, properties);
  }

  /** Compiles one version of a class into a directory of its own and returns a loader for it alone. */
  private ClassLoader compile(String version, String source) throws Exception {
    Path sources = Files.createDirectories(classes.resolve(version + "-src/evolving"));
    String simpleName = source.replaceAll(".*public class (\\w+).*", "$1");
    Path file = sources.resolve(simpleName + ".java");
    Files.writeString(file, source);
    Path output = Files.createDirectories(classes.resolve(version));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status = compiler.run(null, null, null, "-d", output.toString(), file.toString());
    assertThat(status).as("javac of %s", version).isZero();
    return new URLClassLoader(new URL[] {output.toUri().toURL()}, getClass().getClassLoader());
  }

}
