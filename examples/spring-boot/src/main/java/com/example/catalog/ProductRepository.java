package com.example.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Repository;

/**
 * Stands in for a database: products in a map, and a count of the loads that reached it, which is how the
 * tests (and the demo) tell a cache hit from a miss.
 */
@Repository
public class ProductRepository {

  private final Map<Long, Product> products = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();

  /** Returns the product with this id, or null; counts the call as a load. */
  public Product load(long id) {
    loads.incrementAndGet();
    return products.get(id);
  }

  /** Stores or replaces a product. */
  public void store(Product product) {
    products.put(product.id(), product);
  }

  /** Removes a product, if present. */
  public void delete(long id) {
    products.remove(id);
  }

  /** Returns how many times {@link #load(long)} ran. */
  public int loads() {
    return loads.get();
  }
}
