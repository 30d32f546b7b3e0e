package io.tiercache.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** The values of the workloads: byte arrays of 100 B, 10 KiB and 1 MiB, and a small POJO. */
final class Values {

  private Values() { }

  /** How many keys each value size uses: enough to stress the engine without exhausting a 2 GiB heap. */
  static int keysFor(String value) {
    switch (value) {
      case "10KiB":
        return 10_000;
      case "1MiB":
        return 256;
      default:
        return 100_000;
    }
  }

  static Object create(String value, int index) {
    Random random = new Random(index);
    switch (value) {
      case "100B":
        return bytes(random, 100);
      case "1KiB":
        return bytes(random, 1024);
      case "10KiB":
        return bytes(random, 10 * 1024);
      case "1MiB":
        return bytes(random, 1024 * 1024);
      case "pojo":
        return new Pojo(index, "customer-" + index, random.nextDouble() * 1000,
            List.of("alpha-" + index, "beta", "gamma"));
      default:
        throw new IllegalArgumentException("unknown value kind " + value);
    }
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A small application object: a few fields, a String and a List. */
  public static final class Pojo implements Serializable {
    private static final long serialVersionUID = 1L;
    private long id;
    private String customer;
    private double amount;
    private List<String> tags;

    Pojo() {
      // for Kryo
    }

    Pojo(long id, String customer, double amount, List<String> tags) {
      this.id = id;
      this.customer = customer;
      this.amount = amount;
      this.tags = new ArrayList<>(tags);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pojo && ((Pojo) o).id == id && ((Pojo) o).customer.equals(customer)
          && ((Pojo) o).amount == amount && ((Pojo) o).tags.equals(tags);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, customer, amount, tags);
    }
  }
}
