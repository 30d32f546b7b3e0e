package com.example.catalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * A product of the catalog: the value the {@code products} cache holds. A plain record, with no annotation of
 * tiercache's: the cache's configuration file routes it to the RocksDB tier and allows its package on disk.
 *
 * @param id the product's id, also its cache key
 * @param name what the shop calls it
 * @param price its price
 * @param tags free-form labels
 */
public record Product(long id, String name, BigDecimal price, List<String> tags) {

  /** Copies the tags, so a product never shares a mutable list with its caller. */
  public Product {
    tags = List.copyOf(tags);
  }
}
