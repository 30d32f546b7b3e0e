package io.tiercache.routing;

import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.SerializedTier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles, when a composite opens, what a crash in the middle of a move left behind. A move writes the new
 * copy of an entry before it deletes the old one, so a crash between the two leaves the key in two tiers;
 * the new copy's record carries a higher sequence than the old one's. The sweep finds every key held by two
 * byte-storing tiers and deletes the copy with the lower sequence, before the composite serves anything.
 * From then on at most one copy of a key exists at rest, so neither a read (which stops at the first tier
 * holding the key) nor a later eviction or expiry of the newer copy can bring an older value back.
 *
 * <p>It works on raw records (keys and headers), so values that no longer decode are settled too, and it is
 * idempotent: a crash during the sweep is settled by the next one. It costs one lookup in the other tier per
 * record of the smaller tier (RocksDB answers most of them from its bloom filters).
 */
final class RecoverySweep {

  private static final Logger LOG = LoggerFactory.getLogger(RecoverySweep.class);

  private RecoverySweep() { }

  /** Settles duplicates among {@code tiers}, given in probe order; returns how many copies it deleted. */
  static <K> long run(List<SerializedTier<K>> tiers, String compositeName) {
    long deleted = 0;
    for (int i = 0; i < tiers.size(); i++) {
      for (int j = i + 1; j < tiers.size(); j++) {
        deleted += settlePair(tiers.get(i), tiers.get(j));
      }
    }
    if (deleted > 0) {
      LOG.info("{}: removed {} older cop{} of entries that a crash left in two tiers mid-move", compositeName,
          deleted, deleted == 1 ? "y" : "ies");
    }
    return deleted;
  }

  private static <K> long settlePair(SerializedTier<K> earlier, SerializedTier<K> later) {
    if (earlier.serializer() != later.serializer()) {
      return 0; // key bytes differ; composites built by the cache always share one serializer
    }
    boolean scanEarlier = earlier.size() <= later.size();
    SerializedTier<K> scanned = scanEarlier ? earlier : later;
    SerializedTier<K> probed = scanEarlier ? later : earlier;
    List<byte[][]> duplicates = new ArrayList<>();
    Iterator<Map.Entry<byte[], byte[]>> records = scanned.records();
    while (records.hasNext()) {
      Map.Entry<byte[], byte[]> record = records.next();
      byte[] other = probed.readRecord(record.getKey());
      if (other != null) {
        duplicates.add(new byte[][] {record.getKey(), record.getValue(), other});
      }
    }
    for (byte[][] duplicate : duplicates) {
      byte[] keyBytes = duplicate[0];
      long scannedSequence = RecordFormat.sequenceOrLowest(keyBytes, duplicate[1]);
      long probedSequence = RecordFormat.sequenceOrLowest(keyBytes, duplicate[2]);
      // the newer copy wins; equal sequences cannot come from a move, and the copy probed first is kept
      boolean keepScanned = scannedSequence > probedSequence
          || (scannedSequence == probedSequence && scanned == earlier);
      if (keepScanned) {
        probed.deleteRecord(keyBytes, duplicate[2]);
      } else {
        scanned.deleteRecord(keyBytes, duplicate[1]);
      }
    }
    return duplicates.size();
  }
}
