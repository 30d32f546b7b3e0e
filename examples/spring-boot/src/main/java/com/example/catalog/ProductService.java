package com.example.catalog;

import org.springframework.cache.annotation.CacheConfig;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The catalog's read and write paths, cached in the {@code products} cache by Spring's annotations. The cache
 * is a tiercache cache (see {@code tiercache.conf}); nothing here knows it.
 */
@Service
@CacheConfig(cacheNames = ProductService.CACHE)
public class ProductService {

  /** The cache's name, as declared in {@code tiercache.conf}. */
  public static final String CACHE = "products";

  private final ProductRepository repository;

  /** Creates the service over its repository. */
  public ProductService(ProductRepository repository) {
    this.repository = repository;
  }

  /**
   * Returns the product with this id, or null if there is none. Cached by id: a second call with the same id
   * is answered by the cache without reaching the repository; so is a second call for a missing id (Spring
   * caches the null).
   */
  @Cacheable
  public Product find(long id) {
    return repository.load(id);
  }

  /** Stores a product and puts it in the cache under its id, so the next {@link #find} is a hit. */
  @CachePut(key = "#result.id()")
  public Product save(Product product) {
    repository.store(product);
    return product;
  }

  /** Deletes a product and evicts it from the cache. */
  @CacheEvict
  public void delete(long id) {
    repository.delete(id);
  }
}
