package io.tiercache.tier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The frequency sketch behind the hot copies' admission, and the admission itself: copies are weighed by what
 * they save per byte of budget, so that small entries are not pushed out by a large one read no more often.
 */
class CopyAdmissionTest {

  @Property(tries = 200)
  void theSketchNeverEstimatesFewerReadsThanThereWereBeforeItHalves(
      @ForAll @Size(max = 2_000) java.util.List<@IntRange(max = 5_000) Integer> reads) {
    AccessSketch sketch = new AccessSketch(1_000); // 1,024 wide: halves after 10,240 reads, more than any list
    Map<Integer, Integer> counts = new HashMap<>();
    for (Integer key : reads) {
      sketch.record(key);
      counts.merge(key, 1, Integer::sum);
    }
    counts.forEach((key, count) -> assertThat(sketch.frequency(key)).isGreaterThanOrEqualTo(Math.min(count, 255)));
  }

  @Test
  void theSketchForgetsOldPopularityAsNewReadsComeIn() {
    AccessSketch sketch = new AccessSketch(256);
    for (int i = 0; i < 200; i++) {
      sketch.record("old favourite");
    }
    assertThat(sketch.frequency("old favourite")).isGreaterThanOrEqualTo(200);
    for (int i = 0; i < 6 * 2_560; i++) { // six sample periods of other keys: halved six times
      sketch.record(i % 50_000);
    }
    assertThat(sketch.frequency("old favourite")).isLessThan(200 / 8);
    assertThat(sketch.frequency("never read")).isLessThan(50);
  }

  private static Envelope copy(int size) {
    return new Envelope(new byte[size], Envelope.ETERNAL);
  }

  private static ReadCopies<String> copies(long budget) {
    return ReadCopies.ofBytes(budget, envelope -> ((byte[]) envelope.value()).length);
  }

  private static void read(ReadCopies<String> copies, String key, int times) {
    for (int i = 0; i < times; i++) {
      copies.get(key);
    }
  }

  /** Reads {@code key} {@code reads} times, offers a copy of {@code size} bytes; returns whether it is kept. */
  private static boolean offerAfterReads(ReadCopies<String> copies, String key, int reads, int size) {
    read(copies, key, reads);
    copies.offer(key, copies.stamp(key), copy(size));
    return copies.contains(key);
  }

  /** Keeps 60 copies of 1 KiB, each read {@code reads} times: 60 KiB of a 64 KiB budget. */
  private static void keepSmallCopies(ReadCopies<String> copies, int reads) {
    for (int k = 0; k < 60; k++) {
      read(copies, "small" + k, reads);
      copies.offer("small" + k, copies.stamp("small" + k), copy(1024));
    }
  }

  @Test
  void aLargeCopyReadAsOftenAsTheSmallOnesItWouldPushOutIsNotKept() {
    ReadCopies<String> copies = copies(64 * 1024);
    keepSmallCopies(copies, 5);
    assertThat(offerAfterReads(copies, "large", 5, 32 * 1024)).isFalse();
    assertThat(copies.size()).isEqualTo(60);
    assertThat(copies.weight()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void aLargeCopyReadFarMoreOftenThanWhatItPushesOutIsKept() {
    ReadCopies<String> copies = copies(64 * 1024);
    keepSmallCopies(copies, 2);
    assertThat(offerAfterReads(copies, "large", 200, 32 * 1024)).isTrue();
    assertThat(copies.weight()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void aCopyThatFitsInTheRoomLeftIsKeptWhateverItsFrequency() {
    ReadCopies<String> copies = copies(64 * 1024);
    copies.offer("never read", copies.stamp("never read"), copy(40 * 1024));
    assertThat(copies.contains("never read")).isTrue();
  }

  @Test
  void aCopyLargerThanTheWholeBudgetIsNeverKept() {
    ReadCopies<String> copies = copies(64 * 1024);
    assertThat(offerAfterReads(copies, "huge", 100, 65 * 1024)).isFalse();
  }

  @Test
  void aWriteReplacesAKeptCopyWithoutAskingAgain() {
    ReadCopies<String> copies = copies(64 * 1024);
    keepSmallCopies(copies, 5);
    copies.beginUpdate("small0");
    copies.endUpdate("small0", copy(2048));
    assertThat(copies.contains("small0")).isTrue();
    // a new key written without having been read is worth less than the copies it would push out
    copies.beginUpdate("fresh");
    copies.endUpdate("fresh", copy(8 * 1024));
    assertThat(copies.contains("fresh")).isFalse();
  }

  @Test
  void aLargeCopyOverManySmallOnesIsJudgedByASampleOfThem() {
    ReadCopies<String> copies = copies(64 * 1024);
    for (int k = 0; k < 300; k++) { // 60,000 bytes of 200-byte copies, each read once
      read(copies, "tiny" + k, 1);
      copies.offer("tiny" + k, copies.stamp("tiny" + k), copy(200));
    }
    assertThat(copies.size()).isEqualTo(300);
    // 32 KiB would push out about 140 copies, more than an admission looks at
    assertThat(offerAfterReads(copies, "lukewarm", 1, 32 * 1024)).isFalse();
    assertThat(offerAfterReads(copies, "hot", 200, 32 * 1024)).isTrue();
    assertThat(copies.weight()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void aRefusedReadStillTakesItsTurnSoAnOlderReadOfTheSameStampIsNotKept() {
    ReadCopies<String> copies = copies(64 * 1024);
    keepSmallCopies(copies, 5);
    read(copies, "x", 1);
    long stamp = copies.stamp("x"); // two reads of x take the same stamp
    copies.offer("x", stamp, copy(32 * 1024)); // the newer one arrives first, and is refused: no room for it
    assertThat(copies.contains("x")).isFalse();
    copies.offer("x", stamp, copy(2 * 1024)); // the older one would fit, but came second
    assertThat(copies.contains("x")).isFalse();
  }
}
