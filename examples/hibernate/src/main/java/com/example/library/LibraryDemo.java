package com.example.library;

import java.nio.file.Path;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * Stores a book, then reads it back in a new session and prints whether the database was asked. Run it twice
 * ({@code mvn -q compile exec:java}): the second run opens a new session factory and still reads the book from
 * tiercache's RocksDB tier. The database lives in {@code ~/.tiercache-examples/library}; the cache in the
 * directory {@code library-cache.conf} names (by default under {@code ~/.tiercache}).
 */
public final class LibraryDemo {

  private LibraryDemo() {
  }

  /** Runs the demo. */
  public static void main(String[] args) {
    Path database = Path.of(System.getProperty("user.home"), ".tiercache-examples", "library");
    try (SessionFactory library = Library.open("jdbc:h2:file:" + database, Library.CACHE_CONFIGURATION)) {
      Long id = library.fromTransaction(session -> session
          .createSelectionQuery("select b.id from Book b where b.title = :title", Long.class)
          .setParameter("title", "The Name of the Rose").getResultStream().findFirst()
          .orElseGet(() -> {
            Book book = new Book("The Name of the Rose", "Umberto Eco", 1980, Format.PAPERBACK);
            session.persist(book);
            return book.getId();
          }));

      Statistics statistics = library.getStatistics();
      statistics.clear();
      Book book = library.fromTransaction(session -> session.find(Book.class, id));
      System.out.println(book);
      System.out.println("second-level cache hits: " + statistics.getSecondLevelCacheHitCount()
          + ", SQL statements: " + statistics.getPrepareStatementCount());
    }
  }
}
