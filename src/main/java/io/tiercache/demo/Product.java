package io.tiercache.demo;

import java.util.List;
import java.util.Objects;

/** A small catalog object of the demo: the kind of value that belongs on the heap. */
public final class Product {
  private String sku;
  private String name;
  private long priceCents;
  private List<String> tags;

  Product() {
    // for Kryo
  }

  Product(String sku, String name, long priceCents, List<String> tags) {
    this.sku = sku;
    this.name = name;
    this.priceCents = priceCents;
    this.tags = tags;
  }

  /** Returns the stock-keeping unit. */
  public String sku() {
    return sku;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Product && ((Product) o).sku.equals(sku) && ((Product) o).name.equals(name)
        && ((Product) o).priceCents == priceCents && ((Product) o).tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sku, name, priceCents, tags);
  }
}
