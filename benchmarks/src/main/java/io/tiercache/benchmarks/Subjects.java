package io.tiercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Builds every subject by name. */
final class Subjects {

  static final List<String> ALL = List.of("tiercache-heap", "tiercache-mapdb", "tiercache-mapdb-lost-on-crash",
      "tiercache-rocksdb",
      "tiercache-composite", "tiercache-composite-adaptive", "caffeine-raw", "caffeine-jcache", "ehcache-heap",
      "ehcache-disk", "mapdb-raw",
      "rocksdb-raw", "tiercache-redis", "tiercache-heap-redis", "lettuce-raw", "tiercache-mapdb-encrypted",
      "tiercache-rocksdb-encrypted");

  /** The system property naming the Redis server of the Redis subjects (benchmarks/run.sh redis starts one). */
  static final String REDIS_PROPERTY = "tiercache.bench.redis";

  private Subjects() { }

  static Subject create(String name, boolean storeByValue, int keys, Path directory) {
    switch (name) {
      case "tiercache-heap":
        return tiercache(directory, storeByValue, "heap");
      case "tiercache-mapdb":
        return tiercache(directory, storeByValue, "mapdb");
      case "tiercache-mapdb-lost-on-crash": // the mapped file without the redo log: what crash safety costs
        return tiercache(directory, storeByValue, java.util.Map.of("mapdb.mode", "file-lost-on-crash"), "mapdb");
      case "tiercache-rocksdb":
        return tiercache(directory, storeByValue, "rocksdb");
      case "tiercache-mapdb-encrypted": // the same tier, every record sealed with AES-256-GCM
        return tiercache(directory, storeByValue, encryptionSettings(directory), "mapdb");
      case "tiercache-rocksdb-encrypted":
        return tiercache(directory, storeByValue, encryptionSettings(directory), "rocksdb");
      case "tiercache-composite":
        return tiercache(directory, storeByValue, "heap", "mapdb", "rocksdb");
      case "tiercache-composite-adaptive": // the same tiers under the adaptive strategy: every put goes to disk
        return tiercache(directory, storeByValue, java.util.Map.of("strategy.name", "adaptive"), "heap", "mapdb",
            "rocksdb");
      case "caffeine-raw":
        return new MapSubject(Caffeine.newBuilder().build().asMap());
      case "caffeine-jcache":
        return jcache("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider", storeByValue);
      case "ehcache-heap":
        return jcache("org.ehcache.jsr107.EhcacheCachingProvider", storeByValue);
      case "ehcache-disk":
        return ehcacheDisk(directory, keys);
      case "mapdb-raw":
        return mapdb(directory);
      case "rocksdb-raw":
        return rocksdb(directory);
      case "tiercache-redis":
        return tiercache(directory, storeByValue, redisSettings(), "redis");
      case "tiercache-heap-redis": // the heap in front of Redis as its near cache
        return tiercache(directory, storeByValue, redisSettings(), "heap", "redis");
      case "lettuce-raw":
        return lettuce();
      default:
        throw new IllegalArgumentException("unknown subject " + name + "; known: " + ALL);
    }
  }

  private static Subject tiercache(Path directory, boolean storeByValue, String... tiers) {
    return tiercache(directory, storeByValue, java.util.Map.of(), tiers);
  }

  private static Subject tiercache(Path directory, boolean storeByValue, java.util.Map<String, Object> settings,
      String... tiers) {
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.resolve("tiercache").toString());
    CacheManager manager = Caching.getCachingProvider("io.tiercache.spi.TierCachingProvider")
        .getCacheManager(URI.create("tiercache:benchmark-" + System.nanoTime()), Subjects.class.getClassLoader(),
            properties);
    // disk tiers always hold serialized copies: a store-by-reference tiercache cache would stay on the heap
    boolean byValue = storeByValue || !List.of(tiers).equals(List.of("heap"));
    TierCacheConfiguration.Builder<Object, Object> builder = TierCacheConfiguration
        .builder(Object.class, Object.class).tiers(tiers).heapUnbounded()
        .storeByValue(byValue).transientStore(true).allowlist(Values.Pojo.class.getName());
    settings.forEach(builder::tierSetting);
    Cache<Object, Object> cache = manager.createCache("benchmark", builder.build());
    return new JCacheSubject(cache, manager);
  }

  /** Encryption with one master key, written to an owner-only file for the run. */
  private static java.util.Map<String, Object> encryptionSettings(Path directory) {
    try {
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      Path file = directory.resolve("master.key");
      java.nio.file.Files.createDirectories(directory);
      java.nio.file.Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions
          .fromString("rw-------"));
      return java.util.Map.of("encryption.enabled", true, "encryption.primary", "bench",
          "encryption.keys.bench", "file:" + file, "encryption.data-keys", directory.resolve("keys").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String redisUri() {
    String uri = System.getProperty(REDIS_PROPERTY);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("The Redis subjects need a server: run benchmarks/run.sh redis, or pass -D"
          + REDIS_PROPERTY + "=redis://host:port");
    }
    return uri;
  }

  private static java.util.Map<String, Object> redisSettings() {
    return java.util.Map.of("redis.uri", redisUri(), "redis.namespace", "benchmark-" + System.nanoTime(),
        "redis.events", false);
  }

  /** Raw Lettuce: GET and SET of the bytes, one multiplexed connection, as the Redis tier's own. */
  private static Subject lettuce() {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redisUri());
    io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
    io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> commands = connection.sync();
    byte[] prefix = ("raw-" + System.nanoTime() + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return new BytesSubject() {
      private byte[] named(byte[] key) {
        byte[] name = java.util.Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, name, prefix.length, key.length);
        return name;
      }

      @Override
      byte[] read(byte[] key) {
        return commands.get(named(key));
      }

      @Override
      void write(byte[] key, byte[] value) {
        commands.set(named(key), value);
      }

      @Override
      public void close() {
        connection.close();
        client.shutdown();
      }
    };
  }

  private static Subject jcache(String provider, boolean storeByValue) {
    javax.cache.spi.CachingProvider cachingProvider = Caching.getCachingProvider(provider);
    // the provider's own default URI: Ehcache reads any other URI as the location of an XML configuration
    CacheManager manager = cachingProvider.getCacheManager(cachingProvider.getDefaultURI(),
        Subjects.class.getClassLoader());
    Cache<Object, Object> cache = manager.createCache("benchmark-" + System.nanoTime(),
        new MutableConfiguration<>().setStoreByValue(storeByValue));
    return new JCacheSubject(cache, manager);
  }

  private static Subject ehcacheDisk(Path directory, int keys) {
    org.ehcache.PersistentCacheManager manager = CacheManagerBuilder.newCacheManagerBuilder()
        .with(CacheManagerBuilder.persistence(directory.resolve("ehcache").toFile()))
        // Ehcache's disk tier needs serializers: Integer keys and Serializable values (its Java serializer)
        .withCache("benchmark", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class,
            java.io.Serializable.class, ResourcePoolsBuilder.heap(Math.max(1, keys / 10)).disk(4, MemoryUnit.GB)))
        .build(true);
    org.ehcache.Cache<Integer, java.io.Serializable> cache =
        manager.getCache("benchmark", Integer.class, java.io.Serializable.class);
    return new Subject() {
      @Override
      public Object get(Object key) {
        return cache.get((Integer) key);
      }

      @Override
      public void put(Object key, Object value) {
        cache.put((Integer) key, (java.io.Serializable) value);
      }

      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public Map<Object, Object> getAll(Set<Object> keySet) {
        return (Map) cache.getAll((Set) keySet);
      }

      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public void putAll(Map<Object, Object> entries) {
        cache.putAll((Map) entries);
      }

      @Override
      public void close() {
        manager.close();
      }
    };
  }

  private static Subject mapdb(Path directory) {
    DB db = DBMaker.fileDB(directory.resolve("raw.mapdb").toFile()).fileMmapEnableIfSupported()
        .fileMmapPreclearDisable().cleanerHackEnable().make();
    HTreeMap<byte[], byte[]> map = db.hashMap("raw", org.mapdb.Serializer.BYTE_ARRAY,
        org.mapdb.Serializer.BYTE_ARRAY).createOrOpen();
    return new BytesSubject() {
      @Override
      byte[] read(byte[] key) {
        return map.get(key);
      }

      @Override
      void write(byte[] key, byte[] value) {
        map.put(key, value);
      }

      @Override
      public void close() {
        db.close();
      }
    };
  }

  private static Subject rocksdb(Path directory) {
    RocksDB.loadLibrary();
    Options options = new Options().setCreateIfMissing(true) // as the tier configures it
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)))
        .setCompressionType(org.rocksdb.CompressionType.LZ4_COMPRESSION);
    RocksDB db;
    try {
      db = RocksDB.open(options, directory.resolve("raw.rocksdb").toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    return new BytesSubject() {
      @Override
      byte[] read(byte[] key) {
        try {
          return db.get(key);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      void write(byte[] key, byte[] value) {
        try {
          db.put(key, value);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void close() {
        db.close();
        options.close();
      }
    };
  }

  static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JCache cache of any provider. */
  static final class JCacheSubject implements Subject {
    private final Cache<Object, Object> cache;
    private final CacheManager manager;

    JCacheSubject(Cache<Object, Object> cache, CacheManager manager) {
      this.cache = cache;
      this.manager = manager;
    }

    Cache<Object, Object> cache() {
      return cache;
    }

    @Override
    public Object get(Object key) {
      return cache.get(key);
    }

    @Override
    public void put(Object key, Object value) {
      cache.put(key, value);
    }

    @Override
    public Map<Object, Object> getAll(Set<Object> keys) {
      return cache.getAll(keys);
    }

    @Override
    public void putAll(Map<Object, Object> entries) {
      cache.putAll(entries);
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /** A concurrent map (raw Caffeine). */
  static final class MapSubject implements Subject {
    private final ConcurrentMap<Object, Object> map;

    MapSubject(ConcurrentMap<Object, Object> map) {
      this.map = map;
    }

    @Override
    public Object get(Object key) {
      return map.get(key);
    }

    @Override
    public void put(Object key, Object value) {
      map.put(key, value);
    }

    @Override
    public Map<Object, Object> getAll(Set<Object> keys) {
      Map<Object, Object> found = new HashMap<>();
      for (Object key : keys) {
        Object value = map.get(key);
        if (value != null) {
          found.put(key, value);
        }
      }
      return found;
    }

    @Override
    public void putAll(Map<Object, Object> entries) {
      map.putAll(entries);
    }

    @Override
    public void close() {
      map.clear();
    }
  }

  /** A byte store with hand-written encoding (raw MapDB, raw RocksDB). */
  private abstract static class BytesSubject implements Subject {
    private volatile boolean rawBytes = true;

    abstract byte[] read(byte[] key);

    abstract void write(byte[] key, byte[] value);

    @Override
    public Object get(Object key) {
      byte[] value = read(RawCodec.key(key));
      return value == null ? null : RawCodec.decode(value, rawBytes);
    }

    @Override
    public void put(Object key, Object value) {
      rawBytes = value instanceof byte[];
      write(RawCodec.key(key), RawCodec.encode(value));
    }

    @Override
    public Map<Object, Object> getAll(Set<Object> keys) {
      Map<Object, Object> found = new LinkedHashMap<>();
      for (Object key : keys) {
        Object value = get(key);
        if (value != null) {
          found.put(key, value);
        }
      }
      return found;
    }

    @Override
    public void putAll(Map<Object, Object> entries) {
      entries.forEach(this::put);
    }
  }
}
