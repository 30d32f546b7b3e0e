package io.tiercache;

import io.tiercache.configuration.CacheSettings;
import io.tiercache.configuration.EntryWeigher;
import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.copy.Copier;
import io.tiercache.copy.SerializingCopier;
import io.tiercache.event.EventDispatcher;
import io.tiercache.expiry.ExpiryCalculator;
import io.tiercache.integration.LoaderAdapter;
import io.tiercache.integration.WriterAdapter;
import io.tiercache.management.CacheStatistics;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierException;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.heap.HeapBound;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Builds caches: turns a configuration into a tier, policies, adapters and listeners, and wires them into a
 * {@link TierCache}. The one place that knows how the parts fit together.
 */
final class CacheFactory {

  private CacheFactory() { }

  /** Returns our configuration type for whatever JSR-107 configuration {@code createCache} received. */
  @SuppressWarnings("unchecked")
  static <K, V> TierCacheConfiguration<K, V> adopt(javax.cache.configuration.Configuration<K, V> given) {
    if (given instanceof CompleteConfiguration) {
      return new TierCacheConfiguration<>((CompleteConfiguration<K, V>) given);
    }
    TierCacheConfiguration<K, V> configuration = new TierCacheConfiguration<>();
    configuration.setTypes(given.getKeyType(), given.getValueType());
    configuration.setStoreByValue(given.isStoreByValue());
    return configuration;
  }

  static <K, V> TierCache<K, V> create(TierCacheManager manager, String name,
      TierCacheConfiguration<K, V> configuration, Runnable onClose) {
    WeakReference<ClassLoader> classLoader = new WeakReference<>(manager.getClassLoader());
    // a copier per cache: its Kryo instances learn the cache's classes and go away with the cache
    Copier copier = configuration.isStoreByValue() ? new SerializingCopier() : Copier.identity();
    Executor executor = configuration.getExecutor() == null
        ? DefaultExecutor.INSTANCE : configuration.getExecutor();
    ExpiryCalculator expiry = new ExpiryCalculator(createExpiryPolicy(configuration), configuration.getClock());
    EventDispatcher<K, V> events = new EventDispatcher<>(executor, copier, classLoader::get);
    CacheStatistics statistics = new CacheStatistics();
    TierMeters meters = new TierMeters();

    TierListener<K> tierListener = new TierListener<>() {
      @Override
      public void onRemoval(K key, Envelope envelope, RemovalCause cause) {
        if (cause == RemovalCause.CAPACITY) {
          statistics.recordEvictions(1);
        } else if (events.isTracking()) {
          events.reclaimed(key, CacheContext.valueOf(envelope));
        }
      }

      @Override
      public void onRemoteChange(K key, Envelope old, Envelope current, long atMillis) {
        if (events.isTracking()) {
          RemoteEvents.publish(events, key, old, current, atMillis);
        }
      }

      @Override
      public boolean listening() {
        return events.isTracking();
      }
    };
    CacheSettings settings = manager.configurationSource().settingsFor(name, programmaticSettings(configuration));
    if (!configuration.isHeapBoundSet()) {
      // the cache's configuration reports the bound it really has, wherever it came from
      if (settings.heapMaximumSize() < 0) {
        configuration.setHeapUnbounded();
      } else {
        configuration.setHeapMaximumSize(settings.heapMaximumSize());
      }
    }
    TierAssembly.Inputs<K> inputs = new TierAssembly.Inputs<>();
    inputs.cacheName = name;
    inputs.settings = settings;
    inputs.strategy = configuration.getStrategy();
    inputs.heapBound = heapBound(configuration);
    inputs.storeByValue = configuration.isStoreByValue();
    inputs.expiring = !expiry.isEternal();
    inputs.clock = configuration.getClock();
    inputs.listener = tierListener;
    inputs.meters = meters;
    inputs.directory = manager::storeDirectory;
    inputs.classLoader = classLoader::get;
    inputs.managerUri = manager.getURI().toString();
    Tier<K> tier;
    try {
      tier = TierAssembly.build(inputs);
    } catch (TierException | io.tiercache.serialization.SerializationException e) {
      // opening a store can fail past the fallback (reading what it holds, settling a crashed move)
      throw StorageFailures.of(name, e);
    }
    LoaderAdapter<K, V> loader = null;
    WriterAdapter<K, V> writer = null;
    try {
      Factory<CacheLoader<K, V>> loaderFactory = configuration.getCacheLoaderFactory();
      if (loaderFactory != null) {
        loader = new LoaderAdapter<>(loaderFactory.create(), name);
      }
      Factory<CacheWriter<? super K, ? super V>> writerFactory = configuration.getCacheWriterFactory();
      if (configuration.isWriteThrough() && writerFactory != null) {
        writer = new WriterAdapter<>(writerFactory.create(), name);
      }
      for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
        events.register(listener);
      }
      CacheContext<K, V> context = new CacheContext<>(name, tier, expiry, events, statistics, copier, classLoader,
          loader, writer, configuration.isReadThrough(), executor, configuration.getKeyType(),
          configuration.getValueType());
      // a Redis tier is one tier to watch, its near cache (the heap in [heap, redis]) included
      boolean separateTiers = settings.usesDiskOrOffHeap() && configuration.isStoreByValue()
          && !settings.tiers().contains(io.tiercache.routing.TierNames.REDIS);
      context.meters = meters;
      context.health = new HealthReport(name, separateTiers ? settings.tiers() : List.of(tier.name()),
          inputs.notStarted, tier, meters);
      return new TierCache<>(manager, configuration, context, onClose);
    } catch (RuntimeException e) {
      // a factory that failed half-way must not leave a locked store or open connections behind
      tier.close();
      events.close();
      Closeables.closeQuietly(loader == null ? null : loader.loader());
      Closeables.closeQuietly(writer == null ? null : writer.writer());
      throw e;
    }
  }

  /** The tier settings a configuration makes itself, which win over the file's. */
  private static Map<String, Object> programmaticSettings(TierCacheConfiguration<?, ?> configuration) {
    Map<String, Object> settings = new LinkedHashMap<>(configuration.getTierSettings());
    if (configuration.isHeapBoundSet() && configuration.getHeapMaximumWeight() < 0) {
      settings.put("heap.maximum-size", configuration.getHeapMaximumSize());
    }
    return settings;
  }


  private static ExpiryPolicy createExpiryPolicy(CompleteConfiguration<?, ?> configuration) {
    Factory<ExpiryPolicy> factory = configuration.getExpiryPolicyFactory();
    ExpiryPolicy policy = factory == null ? null : factory.create();
    return policy == null ? new javax.cache.expiry.EternalExpiryPolicy() : policy;
  }

  @SuppressWarnings("unchecked")
  private static HeapBound heapBound(TierCacheConfiguration<?, ?> configuration) {
    if (configuration.getHeapMaximumSize() >= 0) {
      return HeapBound.entries(configuration.getHeapMaximumSize());
    }
    if (configuration.getHeapMaximumWeight() >= 0) {
      EntryWeigher<Object, Object> weigher = (EntryWeigher<Object, Object>) configuration.getWeigher();
      return HeapBound.weight(configuration.getHeapMaximumWeight(), weigher::weigh);
    }
    return HeapBound.unbounded();
  }
}
