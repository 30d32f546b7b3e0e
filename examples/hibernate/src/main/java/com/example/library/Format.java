package com.example.library;

/**
 * How a book is bound. Hibernate keeps an enum as it is in a cached entity's state, so this class is written to
 * the disk tier with the book, which is why the allowlist names this package.
 */
public enum Format {
  /** Hard covers. */
  HARDCOVER,
  /** Soft covers. */
  PAPERBACK
}
