package io.tiercache.testing;

import io.tiercache.tier.TierException;
import io.tiercache.tier.serialized.ByteStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An in-memory {@link ByteStore} whose deletes or writes fail on demand, as a failing disk would. */
public final class FlakyStore implements ByteStore {
  public final ConcurrentSkipListMap<byte[], byte[]> records = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  public volatile boolean failDeletes;
  /** When set, puts fail with this message, as on a full disk. */
  public volatile String failWrites;

  @Override
  public byte[] get(byte[] key) {
    return records.get(key);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    List<byte[]> found = new ArrayList<>();
    keys.forEach(key -> found.add(records.get(key)));
    return found;
  }

  @Override
  public void put(byte[] key, byte[] record) {
    if (failWrites != null) {
      throw new TierException(failWrites, null);
    }
    records.put(key, record);
  }

  @Override
  public int swap(byte[] key, byte[] record) {
    if (failWrites != null) {
      throw new TierException(failWrites, null);
    }
    byte[] previous = records.put(key, record);
    return previous == null ? -1 : previous.length;
  }

  @Override
  public void delete(byte[] key) {
    if (failDeletes) {
      throw new TierException("simulated I/O error on delete", null);
    }
    records.remove(key);
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    return records.entrySet().iterator();
  }

  @Override
  public void clear() {
    records.clear();
  }

  @Override
  public Object engine() {
    return records;
  }

  @Override
  public void close() {
  }
}
