package com.example.library;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * A book of the library, kept in Hibernate's second-level cache. Its region is named after the class
 * ({@code com.example.library.Book}), and tiercache creates a cache of that name from the {@code default}
 * section of {@code library-cache.conf}.
 */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {

  @Id
  @GeneratedValue
  private Long id;

  private String title;

  private String author;

  private int published;

  @Enumerated(EnumType.STRING)
  private Format format;

  /** For Hibernate. */
  protected Book() {
  }

  /** Creates a book that has no id until it is persisted. */
  public Book(String title, String author, int published, Format format) {
    this.title = title;
    this.author = author;
    this.published = published;
    this.format = format;
  }

  /** Returns the id, or null before the book is persisted. */
  public Long getId() {
    return id;
  }

  /** Returns the title. */
  public String getTitle() {
    return title;
  }

  /** Changes the title. */
  public void setTitle(String title) {
    this.title = title;
  }

  /** Returns the author. */
  public String getAuthor() {
    return author;
  }

  /** Returns the year of publication. */
  public int getPublished() {
    return published;
  }

  /** Returns how the book is bound. */
  public Format getFormat() {
    return format;
  }

  @Override
  public String toString() {
    return "Book[" + id + ", " + title + ", " + author + ", " + published + ", " + format + "]";
  }
}
