package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.routing.CompositeTier;
import io.tiercache.testing.CountingSerializer;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the work each write does on a composite [heap, mapdb, rocksdb] routed by size: the value is
 * serialized once (the size the strategy routes by is that serialization's length), the key once, and the old
 * record is read once and its value decoded only by the writes that use it (getAndPut returns it, replace
 * with an expected value compares it, invoke hands it to the processor), whichever write it is and whether or
 * not the entry moves between tiers.
 */
class WritePathCountsTest {

  private static final AtomicInteger MANAGERS = new AtomicInteger();
  private static final byte[] MEDIUM = filled(10 * 1024, 1);      // MapDB (4 KiB < size <= 256 KiB)
  private static final byte[] MEDIUM_2 = filled(12 * 1024, 2);
  private static final byte[] LARGE = filled(300 * 1024, 3);      // RocksDB

  @TempDir
  Path directory;

  private CacheManager manager;
  private CountingSerializer counts;
  private Cache<String, Object> cache;

  /** A POJO with enough data to go to MapDB. */
  static final class Payload {
    final String name;
    final int[] data;

    Payload(String name, int size) {
      this.name = name;
      this.data = new int[size];
      Arrays.fill(data, size);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Payload && ((Payload) other).name.equals(name)
          && Arrays.equals(((Payload) other).data, data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, data.length);
    }
  }

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @BeforeEach
  void open() {
    TierAssembly.serializerDecorator = serializer -> counts = new CountingSerializer(serializer);
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.toString());
    manager = Caching.getCachingProvider().getCacheManager(
        URI.create("tiercache:counts-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
    cache = manager.createCache("counted", TierCacheConfiguration.builder(String.class, Object.class)
        .tiers("heap", "mapdb", "rocksdb").allowlist(Payload.class.getName())
        .readThrough(() -> new CacheLoader<String, Object>() {
          @Override
          public Object load(String key) {
            return MEDIUM_2.clone();
          }

          @Override
          public Map<String, Object> loadAll(Iterable<? extends String> keys) {
            Map<String, Object> loaded = new LinkedHashMap<>();
            keys.forEach(key -> loaded.put(key, load(key)));
            return loaded;
          }
        }).build());
  }

  @AfterEach
  void close() {
    TierAssembly.serializerDecorator = java.util.function.UnaryOperator.identity();
    manager.close();
  }

  private void assertCounts(String operation, int values, int keys, int valueReads) {
    assertThat(new int[] {counts.values.get(), counts.keys.get(), counts.valueReads.get()})
        .as(operation + ": value serializations, key serializations, old records decoded")
        .containsExactly(values, keys, valueReads);
    counts.reset();
  }

  private int tierOf(String key) {
    @SuppressWarnings("unchecked")
    CompositeTier<String> composite = cache.unwrap(CompositeTier.class);
    for (int i = 0; i < composite.tiers().size(); i++) {
      if (composite.tiers().get(i).get(key) != null) {
        counts.reset();
        return i;
      }
    }
    counts.reset();
    return -1;
  }

  @Test
  void eachPutSerializesTheValueAndTheKeyOnceAndDecodesTheOldRecordOnce() {
    counts.reset();
    cache.put("k", MEDIUM);
    assertCounts("put of a new key", 1, 1, 0);
    cache.put("k", MEDIUM_2);
    assertCounts("put over an entry in the same tier", 1, 1, 0);
    cache.put("k", LARGE);
    assertCounts("put moving the entry from MapDB to RocksDB", 1, 1, 0);
    assertThat(tierOf("k")).isEqualTo(2);
    cache.put("k", MEDIUM);
    assertCounts("put moving the entry from RocksDB to MapDB", 1, 1, 0);
    assertThat(tierOf("k")).isEqualTo(1);
    cache.put("k", "small");
    assertCounts("put moving the entry to the heap", 0, 1, 0);
    assertThat(tierOf("k")).isZero();
  }

  @Test
  void aPojoIsSerializedOnceForBothItsSizeAndItsRecord() {
    counts.reset();
    cache.put("p", new Payload("p", 4096));
    assertCounts("put of a POJO bound for MapDB", 1, 1, 0);
    assertThat(tierOf("p")).isEqualTo(1);
    cache.put("p", new Payload("small", 4));
    assertCounts("put of a small POJO, measured, moving to the heap", 1, 1, 0);
    assertThat(tierOf("p")).isZero();
    assertThat(cache.get("p")).isEqualTo(new Payload("small", 4));
  }

  @Test
  void everyOtherWriteDoesItsWorkOnceToo() throws Exception {
    cache.put("k", MEDIUM);
    counts.reset();
    assertThat((byte[]) cache.getAndPut("k", MEDIUM_2)).isEqualTo(MEDIUM);
    assertCounts("getAndPut", 1, 1, 1);
    assertThat(cache.replace("k", MEDIUM)).isTrue();
    assertCounts("replace(k, v)", 1, 1, 0);
    cache.put("q", new Payload("q", 4096));
    counts.reset();
    assertThat(cache.replace("q", new Payload("q", 4096), LARGE)).isTrue(); // arrays are not equal by content
    assertCounts("replace(k, old, new), moving to RocksDB", 1, 1, 1);
    assertThat(tierOf("q")).isEqualTo(2);
    assertThat(cache.putIfAbsent("other", MEDIUM)).isTrue();
    assertCounts("putIfAbsent of an absent key", 1, 1, 0);
    assertThat(cache.putIfAbsent("other", MEDIUM_2)).isFalse();
    assertCounts("putIfAbsent of a present key: nothing to store", 0, 1, 0);
    cache.put("k", LARGE);
    counts.reset();
    cache.invoke("k", (entry, arguments) -> {
      entry.setValue(MEDIUM);
      return null;
    });
    assertCounts("invoke setting a value, moving to MapDB (the processor sees the old value)", 1, 1, 1);
    assertThat(tierOf("k")).isEqualTo(1);

    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put("k", LARGE);
    batch.put("a", MEDIUM);
    batch.put("b", MEDIUM_2);
    cache.putAll(batch);
    assertCounts("putAll of three (one present)", 3, 3, 0);

    CompletableFuture<Void> loaded = new CompletableFuture<>();
    cache.loadAll(Set.of("a", "c"), true, new CompletionListener() {
      @Override
      public void onCompletion() {
        loaded.complete(null);
      }

      @Override
      public void onException(Exception e) {
        loaded.completeExceptionally(e);
      }
    });
    loaded.get(30, TimeUnit.SECONDS);
    assertCounts("loadAll of two (one present), replacing", 2, 2, 0);
  }
}
