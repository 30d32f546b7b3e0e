package io.tiercache.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** The store-by-value copier: copies are equal, independent, and immutable values are not copied at all. */
class SerializingCopierProperties {

  private final SerializingCopier copier = new SerializingCopier();
  private final ClassLoader loader = getClass().getClassLoader();

  /** A small mutable POJO of the kind applications cache. */
  static final class Order implements Serializable {
    String customer;
    long amountCents;
    List<String> lines = new ArrayList<>();
    Map<String, Integer> quantities = new HashMap<>();
    Date placed;

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Order)) {
        return false;
      }
      Order other = (Order) o;
      return amountCents == other.amountCents && Objects.equals(customer, other.customer)
          && lines.equals(other.lines) && quantities.equals(other.quantities) && Objects.equals(placed, other.placed);
    }

    @Override
    public int hashCode() {
      return Objects.hash(customer, amountCents, lines, quantities, placed);
    }
  }

  @Provide
  Arbitrary<Order> orders() {
    return Combinators.combine(
        Arbitraries.strings().ofMaxLength(20).injectNull(0.1),
        Arbitraries.longs(),
        Arbitraries.strings().ofMaxLength(10).list().ofMaxSize(8),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), Arbitraries.integers()).ofMaxSize(5),
        Arbitraries.longs().between(0, 4_000_000_000_000L).injectNull(0.2)
    ).as((customer, amount, lines, quantities, placed) -> {
      Order order = new Order();
      order.customer = customer;
      order.amountCents = amount;
      order.lines.addAll(lines);
      order.quantities.putAll(quantities);
      order.placed = placed == null ? null : new Date(placed);
      return order;
    });
  }

  @Property(tries = 300)
  void aCopyOfAPojoIsEqualAndIndependent(@ForAll("orders") Order original) {
    Order copy = copier.copy(original, loader);
    assertThat(copy).isEqualTo(original).isNotSameAs(original);
    copy.lines.add("mutated");
    copy.quantities.put("mutated", 1);
    assertThat(original.lines).doesNotContain("mutated");
    assertThat(original.quantities).doesNotContainKey("mutated");
  }

  @Property(tries = 200)
  void collectionsOfArbitraryValuesCopyToEqualValues(
      @ForAll List<@net.jqwik.api.constraints.StringLength(max = 30) String> strings,
      @ForAll Map<Integer, Double> numbers, @ForAll byte[] bytes) {
    assertThat(copier.copy(new ArrayList<>(strings), loader)).isEqualTo(strings);
    assertThat(copier.copy(new HashMap<>(numbers), loader)).isEqualTo(numbers);
    byte[] copy = copier.copy(bytes, loader);
    assertThat(copy).isEqualTo(bytes);
    if (bytes.length > 0) {
      assertThat(copy).isNotSameAs(bytes);
    }
  }

  @Property(tries = 100)
  void immutableValuesAreSharedNotCopied(@ForAll String text, @ForAll long number) {
    assertThat(copier.copy(text, loader)).isSameAs(text);
    Long boxed = number;
    assertThat(copier.copy(boxed, loader)).isSameAs(boxed);
    LocalDate date = LocalDate.ofEpochDay(Math.floorMod(number, 100_000));
    assertThat(copier.copy(date, loader)).isSameAs(date);
  }

  /** Derives a field in readObject: a field-by-field copy without the hook would leave it empty. */
  static final class DerivedState implements Serializable {
    private final String text;
    private transient int length;

    DerivedState(String text) {
      this.text = text;
      this.length = text.length();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      length = text.length();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DerivedState && ((DerivedState) o).text.equals(text) && ((DerivedState) o).length == length;
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  @Example
  void aClassKryoCannotCopyFaithfullyFallsBackToJavaSerialization() {
    DerivedState original = new DerivedState("hello");
    assertThat(copier.copy(original, loader)).isEqualTo(original);
    assertThat(copier.copy(original, loader)).isEqualTo(original);
  }

  @Example
  void copyIsIdentityForTheReferenceCopier() {
    Order order = new Order();
    assertThat(Copier.identity().copy(order, loader)).isSameAs(order);
  }

  /** Neither Kryo (a live thread) nor Java serialization can copy this. */
  static final class HoldsAThread {
    final Thread thread = new Thread(() -> { });

    @Override
    public boolean equals(Object o) {
      return o instanceof HoldsAThread && ((HoldsAThread) o).thread == thread;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Example
  void anUncopyableValueFailsWithItsClassNamed() {
    assertThatThrownBy(() -> copier.copy(new HoldsAThread(), loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(HoldsAThread.class.getName())
        .hasMessageContaining("store-by-reference");
  }
}
