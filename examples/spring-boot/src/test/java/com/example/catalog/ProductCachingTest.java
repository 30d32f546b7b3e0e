package com.example.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.management.CacheHealth;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring's cache annotations on tiercache's {@code products} cache ({@code [heap, rocksdb]}), in a
 * temporary directory: hits spare the repository, puts and evictions reach the cache, and products really
 * sit in the RocksDB tier.
 */
@SpringBootTest
@DirtiesContext // closes the cache manager (and RocksDB) with this class, before its directory is deleted
class ProductCachingTest {

  @TempDir
  static Path temp;

  @DynamicPropertySource
  static void cacheDirectory(DynamicPropertyRegistry registry) {
    // a directory tiercache creates itself, so it gets its 0700 mode rather than a WARN about the parent's
    registry.add("catalog.cache.directory", () -> temp.resolve("tiercache").toString());
  }

  @Autowired
  ProductService products;

  @Autowired
  ProductRepository repository;

  @Autowired
  CacheManager cacheManager;

  private int loadsBefore;

  @BeforeEach
  void emptyCache() {
    springCache().clear();
    loadsBefore = repository.loads();
  }

  @Test
  void secondLookupIsAnsweredByTheCache() {
    Product cup = product(1, "Espresso cup");
    repository.store(cup);

    Product first = products.find(1);
    Product second = products.find(1);

    assertThat(first).isEqualTo(cup);
    assertThat(second).isEqualTo(cup);
    assertThat(loads()).as("repository loads for two lookups").isEqualTo(1);
  }

  @Test
  void cachedProductsLiveInTheRocksDbTier() {
    repository.store(product(2, "Teapot"));
    products.find(2);

    CacheHealth health = nativeCache().unwrap(CacheHealth.class);

    assertThat(health.status()).as(health.describe()).isEqualTo(CacheHealth.Status.HEALTHY);
    CacheHealth.TierHealth rocksdb = tier(health, "rocksdb");
    assertThat(rocksdb.running()).isTrue();
    assertThat(rocksdb.entries()).as(health.describe()).isEqualTo(1);
    assertThat(rocksdb.bytes()).isPositive();
    assertThat(tier(health, "heap").entries()).as("the class strategy keeps products off the heap").isZero();
  }

  @Test
  void evictionMakesTheNextLookupLoadAgain() {
    repository.store(product(3, "Milk jug"));
    products.find(3);

    products.delete(3);

    assertThat(springCache().get(3L)).as("cache entry after @CacheEvict").isNull();
    assertThat(products.find(3)).as("a deleted product").isNull();
    assertThat(loads()).isEqualTo(2);
  }

  @Test
  void putReplacesTheCachedValue() {
    products.save(product(4, "Saucer"));
    Product renamed = products.save(product(4, "Saucer, blue"));

    assertThat(products.find(4)).isEqualTo(renamed);
    assertThat(loads()).as("lookups after @CachePut").isZero();
    assertThat(tier(nativeCache().unwrap(CacheHealth.class), "rocksdb").entries()).isEqualTo(1);
  }

  @Test
  void aMissingProductIsCachedToo() {
    assertThat(products.find(404)).isNull();
    assertThat(products.find(404)).isNull();

    assertThat(loads()).as("Spring caches the null, which tiercache keeps on the heap").isEqualTo(1);
    assertThat(tier(nativeCache().unwrap(CacheHealth.class), "heap").entries()).isEqualTo(1);
  }

  private static Product product(long id, String name) {
    return new Product(id, name, new BigDecimal("12.90"), List.of("kitchen"));
  }

  private int loads() {
    return repository.loads() - loadsBefore;
  }

  private Cache springCache() {
    return cacheManager.getCache(ProductService.CACHE);
  }

  /** The javax.cache.Cache under Spring's adapter: tiercache's own cache. */
  private javax.cache.Cache<Object, Object> nativeCache() {
    return ((JCacheCache) springCache()).getNativeCache();
  }

  private static CacheHealth.TierHealth tier(CacheHealth health, String name) {
    return health.tiers().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tier " + name + " in\n" + health.describe()));
  }
}
