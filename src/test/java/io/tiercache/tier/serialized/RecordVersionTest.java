package io.tiercache.tier.serialized;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.TierListener;
import io.tiercache.testing.FlakyStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records of older format versions (no checksum) are read only in stores that may hold them; in a store
 * created by this version, a version byte claiming an older format is damage, and the checksum is not skipped.
 */
class RecordVersionTest {

  private final KryoSerializer serializer = new KryoSerializer(ClassRegistry.inMemory(),
      ClassAllowlist.of(List.of()), () -> getClass().getClassLoader(), "version test");

  private SerializedTier<String> tier(FlakyStore store, boolean legacyRecords) {
    return new SerializedTier<>("rocksdb:/test", store, serializer, Capacity.unbounded(), new KeyLocks(4),
        Clock.systemUTC(), TierListener.NONE, legacyRecords);
  }

  /** A version-2 record as the previous release wrote it: an 18-byte header without a checksum. */
  private byte[] version2(String value) {
    byte[] record = serializer.serialize(value, 18);
    record[0] = 2;
    record[1] = serializer.id();
    record[2] = 0x7F; // expiry Long.MAX_VALUE: eternal
    for (int i = 3; i < 10; i++) {
      record[i] = (byte) 0xFF;
    }
    return record;
  }

  @Test
  void anOlderRecordIsReadWhereTheStoreMayHoldOne() {
    FlakyStore store = new FlakyStore();
    store.put(serializer.serializeKey("k"), version2("written by 0.1"));
    assertThat(tier(store, true).get("k").value()).isEqualTo("written by 0.1");
  }

  @Test
  void anOlderVersionByteInAStoreThatNeverHeldOneIsDamage() {
    FlakyStore store = new FlakyStore();
    SerializedTier<String> tier = tier(store, false);
    tier.put("k", new Envelope("the right value", Envelope.ETERNAL));
    byte[] key = serializer.serializeKey("k");
    byte[] record = store.get(key).clone();
    record[0] = 2; // one bit flipped in the version byte: read as version 2, the checksum would be skipped
    store.put(key, record);
    assertThat(tier.get("k")).isNull();
    assertThat(tier.dropped()).isEqualTo(1);
    store.put(key, version2("planted"));
    assertThat(tier.get("k")).isNull();
    assertThat(tier.dropped()).isEqualTo(2);
  }
}
