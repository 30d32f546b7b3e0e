package com.example.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercache.management.CacheHealth;
import java.nio.file.Path;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate's second-level cache on tiercache: entities read back in a new session come from the cache with no
 * SQL, they sit in the RocksDB tier, updates replace them, and cached queries are invalidated by changes to
 * their tables.
 */
class SecondLevelCacheTest {

  private static final String REGION = Book.class.getName();

  @TempDir
  Path temp;

  private TemporaryLibrary library;
  private SessionFactory sessions;
  private Statistics statistics;

  @BeforeEach
  void open() {
    library = new TemporaryLibrary(temp);
    sessions = library.open();
    statistics = sessions.getStatistics();
  }

  @AfterEach
  void close() {
    sessions.close();
  }

  @Test
  void aBookLoadedInANewSessionComesFromTheCacheWithoutSql() {
    Long id = persist(new Book("The Name of the Rose", "Umberto Eco", 1980, Format.HARDCOVER));
    statistics.clear();

    Book book = sessions.fromTransaction(session -> session.find(Book.class, id));

    assertEquals("The Name of the Rose", book.getTitle());
    assertEquals(Format.HARDCOVER, book.getFormat());
    assertEquals(1, statistics.getSecondLevelCacheHitCount(), "second-level cache hits");
    assertEquals(1, statistics.getDomainDataRegionStatistics(REGION).getHitCount(), "hits in " + REGION);
    assertEquals(0, statistics.getPrepareStatementCount(), "SQL statements");
  }

  @Test
  void aClearedSessionReadsTheBookFromTheCache() {
    Long id = persist(new Book("Foucault's Pendulum", "Umberto Eco", 1988, Format.HARDCOVER));
    statistics.clear();

    sessions.inTransaction(session -> {
      session.find(Book.class, id);
      session.clear(); // forget it: the next find cannot use the session's own copy
      assertEquals("Foucault's Pendulum", session.find(Book.class, id).getTitle());
    });

    assertEquals(2, statistics.getSecondLevelCacheHitCount(), "second-level cache hits");
    assertEquals(0, statistics.getPrepareStatementCount(), "SQL statements");
  }

  @Test
  void booksAreStoredInTheRocksDbTier() {
    persist(new Book("Baudolino", "Umberto Eco", 2000, Format.HARDCOVER));
    persist(new Book("The Island of the Day Before", "Umberto Eco", 1994, Format.HARDCOVER));

    CacheHealth health = library.region(REGION).unwrap(CacheHealth.class);

    assertEquals(CacheHealth.Status.HEALTHY, health.status(), health.describe());
    CacheHealth.TierHealth rocksdb = tier(health, "rocksdb");
    assertEquals(2, rocksdb.entries(), health.describe());
    assertTrue(rocksdb.bytes() > 0, health.describe());
    assertEquals(0, health.dropped(), health.describe());
    assertEquals(0, tier(health, "heap").entries(), "soft locks left on the heap\n" + health.describe());
  }

  @Test
  void anUpdateReplacesTheCachedBook() {
    Long id = persist(new Book("The Prague Cemetary", "Umberto Eco", 2010, Format.HARDCOVER));

    sessions.inTransaction(session -> {
      session.find(Book.class, id).setTitle("The Prague Cemetery");
      session.flush();
      // until the commit, a soft lock stands in for the book, and the class strategy keeps it on the heap
      CacheHealth during = library.region(REGION).unwrap(CacheHealth.class);
      assertEquals(1, tier(during, "heap").entries(), during.describe());
      assertEquals(0, tier(during, "rocksdb").entries(), during.describe());
    });
    statistics.clear();
    Book book = sessions.fromTransaction(session -> session.find(Book.class, id));

    assertEquals("The Prague Cemetery", book.getTitle());
    assertEquals(1, statistics.getSecondLevelCacheHitCount(), "second-level cache hits");
    assertEquals(0, statistics.getPrepareStatementCount(), "SQL statements");
    CacheHealth health = library.region(REGION).unwrap(CacheHealth.class);
    assertEquals(1, tier(health, "rocksdb").entries(), health.describe());
    assertEquals(0, tier(health, "heap").entries(), health.describe());
  }

  @Test
  void aCachedQueryIsAnsweredWithoutSqlUntilItsTableChanges() {
    persist(new Book("Numero Zero", "Umberto Eco", 2015, Format.HARDCOVER));
    persist(new Book("The Mysterious Flame of Queen Loana", "Umberto Eco", 2004, Format.HARDCOVER));
    assertEquals(2, booksBy("Umberto Eco").size());

    statistics.clear();
    assertEquals(2, booksBy("Umberto Eco").size());
    assertEquals(1, statistics.getQueryCacheHitCount(), "query cache hits");
    assertEquals(0, statistics.getPrepareStatementCount(), "SQL statements for a cached query");

    persist(new Book("The Search for the Perfect Language", "Umberto Eco", 1993, Format.HARDCOVER));
    statistics.clear();
    assertEquals(3, booksBy("Umberto Eco").size(), "books after an insert into their table");
    assertEquals(0, statistics.getQueryCacheHitCount(), "query cache hits after an insert into its table");
  }

  private List<Book> booksBy(String author) {
    return sessions.fromTransaction(session -> session
        .createSelectionQuery("from Book where author = :author order by id", Book.class)
        .setParameter("author", author)
        .setCacheable(true)
        .getResultList());
  }

  private Long persist(Book book) {
    sessions.inTransaction(session -> session.persist(book));
    return book.getId();
  }

  static CacheHealth.TierHealth tier(CacheHealth health, String name) {
    return health.tiers().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tier " + name + " in\n" + health.describe()));
  }
}
