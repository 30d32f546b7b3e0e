package io.tiercache.tier.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.Capacity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MANIFEST check that runs before RocksDB reads a store: a sound MANIFEST passes whole, every damaged byte
 * of a record's checksum, type or payload is found, and the damage that made RocksDB 10.10 loop forever (a
 * record's type byte turned into a recyclable type) is refused with the file's name instead of hanging.
 */
class ManifestCheckTest {

  @TempDir
  Path work;

  private static Tier<String> open(Path directory) {
    KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(), ClassAllowlist.of(List.of()),
        () -> ManifestCheckTest.class.getClassLoader(), "manifest test");
    return RocksDbTiers.open(directory, "manifest", false, false, serializer, Capacity.unbounded(), new KeyLocks(16),
        new FakeClock(), (TierListener<String>) (key, envelope, cause) -> { });
  }

  /** A store closed cleanly, with a few records and a second column family, and its MANIFEST's bytes. */
  private Path store() {
    Path directory = work.resolve("store");
    try (Tier<String> tier = open(directory)) {
      for (int i = 0; i < 50; i++) {
        String key = "k" + i;
        tier.compute(key, (k, current) -> new Envelope("value " + k, Envelope.ETERNAL));
      }
    }
    return directory;
  }

  private static Path manifest(Path directory) throws Exception {
    return directory.resolve(Files.readString(directory.resolve("CURRENT")).trim());
  }

  @Test
  void aSoundManifestPassesAndEveryDamagedRecordByteIsFound() throws Exception {
    Path directory = store();
    byte[] sound = Files.readAllBytes(manifest(directory));
    assertThat(ManifestCheck.firstDamagedRecord(sound)).isEqualTo(-1);
    ManifestCheck.check(directory);

    int found = 0;
    int lengthBytes = 0;
    for (int at = 0; at < sound.length; at++) {
      byte[] damaged = sound.clone();
      damaged[at] ^= 0x04;
      if (ManifestCheck.firstDamagedRecord(damaged) >= 0) {
        found++;
      } else {
        lengthBytes++; // a length pushed past the end reads as a torn tail, which is RocksDB's to judge
      }
    }
    assertThat(found).as("damaged bytes found of %d", sound.length).isGreaterThanOrEqualTo(sound.length - 2 * 8);
    assertThat(lengthBytes).isLessThanOrEqualTo(2 * 8);
  }

  @Test
  void theRecordTypeThatHungRocksDbIsRefusedNamingTheManifest() throws Exception {
    Path directory = store();
    Path manifest = manifest(directory);
    byte[] bytes = Files.readAllBytes(manifest);
    int first = 7 + ((bytes[4] & 0xFF) | (bytes[5] & 0xFF) << 8); // where the second record's header starts
    assertThat(bytes[first + 6]).as("a full record").isEqualTo((byte) 1);
    bytes[first + 6] = 5; // a recyclable full record: what DamageTest's long form flipped
    Files.write(manifest, bytes);
    assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        assertThatThrownBy(() -> open(directory)).isInstanceOf(TierUnavailableException.class)
            .hasMessageContaining(manifest.getFileName().toString()).hasMessageContaining("damaged"));
  }
}
