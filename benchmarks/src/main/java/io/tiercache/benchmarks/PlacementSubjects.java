package io.tiercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.TierCacheManager;
import io.tiercache.configuration.TierCacheConfiguration;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;

/**
 * The subjects of {@link PlacementBenchmark}, each with the same heap budget in bytes for its entries:
 *
 * <ul>
 *   <li>{@code tiercache-adaptive}: [heap, mapdb, rocksdb] under the adaptive strategy, {@code heap-budget} the
 *       budget (every entry lives on disk; the heap holds copies of the hot ones).</li>
 *   <li>{@code tiercache-size}: the same tiers under the default size strategy (4 KiB and 256 KiB), the heap
 *       tier bounded by the budget in bytes (values' lengths): small entries it evicts are gone.</li>
 *   <li>{@code ehcache-heap-disk}: Ehcache 3 with a heap tier sized to the budget and a disk tier holding
 *       everything, through its own API, storing by value as a JCache cache does (its heap copies a value in and
 *       out, with a copier that clones the array, as tiercache's does): like with like.
 *   <li>{@code ehcache-heap-disk-by-reference}: the same with Ehcache's own default, a heap that hands out the
 *       stored array itself (no JCache provider may do that by default), for reference.</li>
 *   <li>{@code caffeine-budget}: Caffeine bounded to the budget by weight, backed by nothing: its hit ratio is
 *       what the heap alone can do.</li>
 *   <li>{@code raw-engines}: the adaptive strategy's design built from raw RocksDB (with its WAL) and Caffeine
 *       holding clones, with nothing of ours ({@link PlacementRawEngines}): what the engines cost here.</li>
 * </ul>
 */
final class PlacementSubjects {

  static final List<String> NAMES = List.of("tiercache-adaptive", "tiercache-size", "ehcache-heap-disk",
      "ehcache-heap-disk-by-reference", "caffeine-budget", "raw-engines");

  private PlacementSubjects() { }

  static Subject create(String name, long budget, long dataBytes, Path directory) {
    switch (name) {
      case "tiercache-adaptive":
        TierCacheConfiguration.Builder<Integer, byte[]> adaptive = builder().strategy("adaptive")
            .strategyOption("heap-budget", Long.toString(budget));
        // -Dplacement.copy-max-bytes=... tries another copy bound than the strategy's default
        String copyMax = System.getProperty("placement.copy-max-bytes");
        if (copyMax != null) {
          adaptive.strategyOption("copy-max-bytes", copyMax);
        }
        String bulky = System.getProperty("placement.bulky-bytes"); // the same for the MapDB/RocksDB split
        if (bulky != null) {
          adaptive.strategyOption("bulky-bytes", bulky);
        }
        return tiercache(directory, adaptive);
      case "tiercache-size":
        return tiercache(directory, builder().heapMaximumWeight(budget, (key, value) -> value.length + 64));
      case "ehcache-heap-disk":
        return ehcache(directory, budget, dataBytes, true);
      case "ehcache-heap-disk-by-reference":
        return ehcache(directory, budget, dataBytes, false);
      case "caffeine-budget":
        return new Subjects.MapSubject(Caffeine.newBuilder().maximumWeight(budget)
            .weigher((Object key, Object value) -> ((byte[]) value).length + 64).build().asMap());
      case "raw-engines":
        return new PlacementRawEngines(directory, budget);
      case "caffeine-budget-sync":
        return new Subjects.MapSubject(Caffeine.newBuilder().maximumWeight(budget).executor(Runnable::run)
            .weigher((Object key, Object value) -> ((byte[]) value).length + 64).build().asMap());
      default:
        throw new IllegalArgumentException("unknown subject '" + name + "'; allowed: " + NAMES);
    }
  }

  private static TierCacheConfiguration.Builder<Integer, byte[]> builder() {
    return TierCacheConfiguration.builder(Integer.class, byte[].class).tiers("heap", "mapdb", "rocksdb")
        .transientStore(true);
  }

  @SuppressWarnings("unchecked")
  private static Subject tiercache(Path directory, TierCacheConfiguration.Builder<Integer, byte[]> builder) {
    // -Dplacement.settings=name=value;name=value tries other tier settings (for experiments, not the table)
    String settings = System.getProperty("placement.settings", "");
    for (String setting : settings.split(";")) {
      if (setting.contains("=")) {
        builder.tierSetting(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
      }
    }
    Properties properties = new Properties();
    properties.setProperty(TierCacheManager.DIRECTORY_PROPERTY, directory.resolve("tiercache").toString());
    CacheManager manager = Caching.getCachingProvider("io.tiercache.spi.TierCachingProvider")
        .getCacheManager(URI.create("tiercache:placement-" + System.nanoTime()),
            PlacementSubjects.class.getClassLoader(), properties);
    Cache<?, ?> cache = manager.createCache("placement", builder.build());
    return new Subjects.JCacheSubject((Cache<Object, Object>) cache, manager);
  }

  /** Returns how many reads the subject's heap answered: its heap tier's hits, or for Caffeine every hit. */
  static long heapHits(Subject subject, PlacementWorkload workload) {
    if (subject instanceof Subjects.JCacheSubject jcache) {
      return jcache.cache().unwrap(io.tiercache.management.CacheHealth.class).tiers().stream()
          .filter(tier -> tier.name().equals("heap")).mapToLong(io.tiercache.management.CacheHealth.TierHealth::hits)
          .sum();
    }
    if (subject instanceof HeapCounted counted) {
      return counted.heapHits();
    }
    return workload.reads - workload.misses;
  }

  /** A subject that knows its heap tier's hits. */
  interface HeapCounted {
    long heapHits();
  }

  /** A subject of the placement benchmark, which reads and writes one key at a time only. */
  abstract static class SingleKeySubject implements Subject {
    @Override
    public Map<Object, Object> getAll(Set<Object> keys) {
      throw new UnsupportedOperationException("the placement benchmark reads one key at a time");
    }

    @Override
    public void putAll(Map<Object, Object> entries) {
      throw new UnsupportedOperationException("the placement benchmark writes one key at a time");
    }
  }

  private static CacheConfigurationBuilder<Integer, byte[]> configuration(long budget, long diskMiB) {
    return CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class, byte[].class,
        ResourcePoolsBuilder.newResourcePoolsBuilder().heap(budget, MemoryUnit.B).disk(diskMiB, MemoryUnit.MB));
  }

  /** Ehcache's copier for stored arrays: a clone in, a clone out. */
  public static final class ArrayCopier extends org.ehcache.impl.copy.ReadWriteCopier<byte[]> {
    @Override
    public byte[] copy(byte[] array) {
      return array.clone();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Subject ehcache(Path directory, long budget, long dataBytes, boolean byValue) {
    long diskMiB = 2 * (dataBytes >> 20) + 64;
    org.ehcache.core.internal.statistics.DefaultStatisticsService statistics =
        new org.ehcache.core.internal.statistics.DefaultStatisticsService();
    org.ehcache.PersistentCacheManager manager = CacheManagerBuilder.newCacheManagerBuilder()
        .using(statistics)
        .with(CacheManagerBuilder.persistence(directory.resolve("ehcache").toFile()))
        .withCache("placement", byValue
            ? configuration(budget, diskMiB).withService(new org.ehcache.impl.config.copy.DefaultCopierConfiguration(
                ArrayCopier.class, org.ehcache.impl.config.copy.DefaultCopierConfiguration.Type.VALUE))
            : configuration(budget, diskMiB))
        .build(true);
    org.ehcache.Cache<Integer, byte[]> cache = manager.getCache("placement", Integer.class, byte[].class);
    abstract class EhcacheSubject extends SingleKeySubject implements HeapCounted { }
    return new EhcacheSubject() {
      @Override
      public long heapHits() {
        return statistics.getCacheStatistics("placement").getTierStatistics().get("OnHeap").getHits();
      }

      @Override
      public Object get(Object key) {
        return cache.get((Integer) key);
      }

      @Override
      public void put(Object key, Object value) {
        cache.put((Integer) key, (byte[]) value);
      }

      @Override
      public void close() {
        manager.close();
      }
    };
  }
}
