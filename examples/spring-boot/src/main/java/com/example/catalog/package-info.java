/**
 * A product catalog whose lookups Spring's cache abstraction caches in tiercache through JCache: products in
 * a RocksDB tier that outlives the application, everything else on the heap.
 */
package com.example.catalog;
