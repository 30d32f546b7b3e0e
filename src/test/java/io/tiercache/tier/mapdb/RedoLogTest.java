package io.tiercache.tier.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.tier.TierUnavailableException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redo log that makes MapDB crash-safe: what a replay gives back after a torn end, after damage in the
 * middle, and across compactions, including one a crash interrupted.
 */
class RedoLogTest {

  @TempDir
  Path directory;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, String> replay(Path base) {
    Map<String, String> state = new HashMap<>();
    RedoLog.at(base).replay(new RedoLog.Replay() {
      @Override
      public void put(byte[] key, byte[] record) {
        state.put(new String(key, StandardCharsets.UTF_8), new String(record, StandardCharsets.UTF_8));
      }

      @Override
      public void delete(byte[] key) {
        state.remove(new String(key, StandardCharsets.UTF_8));
      }
    });
    return state;
  }

  @Test
  void aReplayGivesBackTheLastStateAndCutsATornEnd() throws Exception {
    Path base = directory.resolve("cache.db");
    RedoLog log = RedoLog.at(base);
    log.openForAppend();
    log.append(RedoLog.PUT, bytes("a"), bytes("1"));
    log.append(RedoLog.PUT, bytes("b"), bytes("2"));
    log.append(RedoLog.PUT, bytes("a"), bytes("3"));
    log.append(RedoLog.DELETE, bytes("b"), null);
    log.append(RedoLog.PUT, bytes("c"), bytes("4"));
    log.close();
    Path file = directory.resolve("cache.db.log.0");
    long whole = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(whole - 3); // the last entry, torn by a crash
    }
    assertThat(replay(base)).isEqualTo(Map.of("a", "3"));
    assertThat(Files.size(file)).as("the torn entry is cut off").isLessThan(whole - 3);
  }

  @Test
  void damageBeforeTheEndRefusesTheReplayNamingTheFile() throws Exception {
    Path base = directory.resolve("cache.db");
    RedoLog log = RedoLog.at(base);
    log.openForAppend();
    for (int i = 0; i < 50; i++) {
      log.append(RedoLog.PUT, bytes("k" + (i % 5)), bytes("v" + i));
    }
    log.close();
    Path file = directory.resolve("cache.db.log.0");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(Files.size(file) / 2);
      int b = raf.read();
      raf.seek(Files.size(file) / 2);
      raf.write(b ^ 0x10);
    }
    assertThatThrownBy(() -> replay(base)).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("damaged");
  }

  @Test
  void aDamagedLengthBeforeTheEndIsRefusedNotTakenForATornEnd() throws Exception {
    Path base = directory.resolve("cache.db");
    RedoLog log = RedoLog.at(base);
    log.openForAppend();
    log.append(RedoLog.PUT, bytes("k"), bytes("v1"));
    log.append(RedoLog.PUT, bytes("k"), bytes("v2"));
    log.append(RedoLog.DELETE, bytes("j"), null);
    log.close();
    Path file = directory.resolve("cache.db.log.0");
    int secondEntry = 12 + 5 + 1 + 2; // header, op and key length, key, record of the first entry
    for (int bit = 0; bit < 8; bit++) {
      byte[] content = Files.readAllBytes(file);
      byte[] damaged = content.clone();
      damaged[secondEntry + 3] ^= (byte) (1 << bit); // the low byte of the second entry's length
      Files.write(file, damaged);
      assertThatThrownBy(() -> replay(base)).as("bit %d", bit).isInstanceOf(TierUnavailableException.class)
          .hasMessageContaining("header");
      Files.write(file, content);
    }
    assertThat(replay(base)).isEqualTo(Map.of("k", "v2"));
  }

  @Test
  void aStoreOpenedWithoutItsLogDeletesTheLogThatWouldBeStale() throws Exception {
    Path base = directory.resolve("cache.db");
    MapDbStoreHarness harness = MapDbStoreHarness.open(base, 1 << 20);
    harness.store.put(bytes("k"), bytes("v"));
    harness.close();
    assertThat(RedoLog.at(base).exists()).isTrue();
    io.tiercache.tier.serialized.SerializedTier<String> unlogged = MapDbTiers.openFile(base,
        MapDbTiers.Durability.NONE, false, new io.tiercache.serialization.KryoSerializer(
            io.tiercache.serialization.ClassRegistry.inMemory(),
            io.tiercache.serialization.ClassAllowlist.of(java.util.List.of()), () -> getClass().getClassLoader(),
            "test"), io.tiercache.tier.serialized.Capacity.unbounded(), new io.tiercache.tier.KeyLocks(4),
        java.time.Clock.systemUTC(), io.tiercache.tier.TierListener.NONE);
    unlogged.close();
    assertThat(RedoLog.at(base).exists()).as("a log the unlogged changes would leave stale").isFalse();
  }

  private io.tiercache.tier.serialized.SerializedTier<String> openLogged(Path base) {
    return MapDbTiers.openFile(base, MapDbTiers.Durability.LOG, false, new io.tiercache.serialization.KryoSerializer(
        io.tiercache.serialization.ClassRegistry.inMemory(),
        io.tiercache.serialization.ClassAllowlist.of(java.util.List.of()), () -> getClass().getClassLoader(),
        "test"), io.tiercache.tier.serialized.Capacity.unbounded(), new io.tiercache.tier.KeyLocks(4),
        java.time.Clock.systemUTC(), io.tiercache.tier.TierListener.NONE);
  }

  @Test
  void aRecordDamagedInTheFileWhileOpenIsAMissThenComesBackFromTheLog() throws Exception {
    Path base = directory.resolve("cache.db");
    io.tiercache.tier.serialized.SerializedTier<String> tier = openLogged(base);
    tier.put("k", new io.tiercache.tier.Envelope("sound", io.tiercache.tier.Envelope.ETERNAL));
    @SuppressWarnings("unchecked")
    org.mapdb.HTreeMap<byte[], byte[]> file = tier.unwrap(org.mapdb.HTreeMap.class);
    byte[] key = tier.keyBytes("k");
    byte[] damaged = file.get(key).clone();
    damaged[damaged.length - 1] ^= 0x01; // bit rot in the mapped file, behind the log's back
    file.put(key, damaged);
    assertThat(tier.get("k")).as("a damaged record is a miss").isNull();
    assertThat(tier.dropped()).isEqualTo(1);
    tier.close();
    io.tiercache.tier.serialized.SerializedTier<String> reopened = openLogged(base);
    assertThat(reopened.get("k").value()).as("rebuilt from the log's sound copy").isEqualTo("sound");
    reopened.close();
  }

  @Test
  void compactionKeepsTheStateAndBoundsTheLog() throws Exception {
    Path base = directory.resolve("cache.db");
    MapDbStoreHarness harness = MapDbStoreHarness.open(base, 64 * 1024);
    Map<String, String> model = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String key = "k" + random.nextInt(200);
      if (random.nextInt(10) == 0) {
        harness.store.delete(bytes(key));
        model.remove(key);
      } else {
        String value = "v" + i + "-" + "x".repeat(random.nextInt(100));
        harness.store.put(bytes(key), bytes(value));
        model.put(key, value);
      }
    }
    long logBytes = harness.store.logBytes();
    harness.close();
    assertThat(logBytes).as("compacted: far below the %d bytes written", 20_000L * 60).isLessThan(600_000);
    try (Stream<Path> generations = Files.list(directory)) {
      assertThat(generations.filter(p -> p.getFileName().toString().contains(".log.")).count())
          .as("older generations deleted").isEqualTo(1);
    }
    assertThat(replay(base)).isEqualTo(model);
  }

  @Test
  void aCompactionInterruptedByACrashReplaysToTheSameState() throws Exception {
    Path base = directory.resolve("cache.db");
    RedoLog log = RedoLog.at(base);
    log.openForAppend();
    log.append(RedoLog.PUT, bytes("a"), bytes("1"));
    log.append(RedoLog.PUT, bytes("b"), bytes("2"));
    log.append(RedoLog.DELETE, bytes("a"), null);
    log.append(RedoLog.PUT, bytes("c"), bytes("3"));
    // a compaction began: a new generation with part of the live records, then the crash
    log.roll();
    log.append(RedoLog.PUT, bytes("b"), bytes("2"));
    log.append(RedoLog.PUT, bytes("d"), bytes("4")); // a write after the roll, before the crash
    log.close();
    assertThat(replay(base)).isEqualTo(Map.of("b", "2", "c", "3", "d", "4"));
  }
}
