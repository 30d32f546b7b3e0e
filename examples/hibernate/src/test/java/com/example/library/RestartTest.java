package com.example.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tiercache.management.CacheHealth;
import java.nio.file.Path;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second-level cache outlives its session factory: a book cached by one session factory is read by the
 * next one, over the same database and cache directory, without SQL.
 *
 * <p>This is sound because nothing else writes the database while no session factory runs (as a
 * second-level cache always assumes of its tables), because entity entries carry the timestamp of the
 * transaction that wrote them, which any later session's timestamp exceeds, and because query results and
 * the update timestamps that validate them both live on the heap and are forgotten together.
 */
class RestartTest {

  @Test
  void aCachedBookSurvivesClosingAndReopeningTheSessionFactory(@TempDir Path temp) {
    TemporaryLibrary library = new TemporaryLibrary(temp);
    Book rose = new Book("The Name of the Rose", "Umberto Eco", 1980, Format.HARDCOVER);
    try (SessionFactory first = library.open()) {
      first.inTransaction(session -> session.persist(rose));
    }

    try (SessionFactory second = library.open()) {
      CacheHealth health = library.region(Book.class.getName()).unwrap(CacheHealth.class);
      assertEquals(1, SecondLevelCacheTest.tier(health, "rocksdb").entries(), health.describe());
      Statistics statistics = second.getStatistics();
      statistics.clear(); // the schema update at startup ran SQL of its own

      Book book = second.fromTransaction(session -> session.find(Book.class, rose.getId()));

      assertEquals("The Name of the Rose", book.getTitle());
      assertEquals(Format.HARDCOVER, book.getFormat());
      assertEquals(1, statistics.getSecondLevelCacheHitCount(), "second-level cache hits");
      assertEquals(0, statistics.getPrepareStatementCount(), "SQL statements");
    }
  }
}
