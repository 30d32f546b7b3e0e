/**
 * A library of books stored by Hibernate ORM in H2, with Hibernate's second-level cache in tiercache: entity
 * data in a RocksDB tier that outlives the session factory, soft locks, query results and update timestamps on
 * the heap.
 */
package com.example.library;
