package io.tiercache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The {@code raw-engines} subject of {@link PlacementBenchmark}: the adaptive strategy's design built from the raw
 * engines with nothing of ours, to show what the engines themselves cost on this machine. Raw RocksDB with its
 * write-ahead log (configured as tiercache's tier: LZ4, Bloom filter) is the home of every entry, crash-safe as
 * ours is, and Caffeine bounded to the budget by bytes holds copies of the values read, handing out clones as a
 * JCache provider storing by value must. No serialization, no record header, no checksum of our own, no expiry,
 * no locking beyond the engines', no events, and Caffeine's own admission: a reference, not a competitor.
 */
final class PlacementRawEngines extends PlacementSubjects.SingleKeySubject implements PlacementSubjects.HeapCounted {

  private final RocksDB db;
  private final Options options;
  private final Cache<Integer, byte[]> copies;
  private final LongAdder heapHits = new LongAdder();

  PlacementRawEngines(Path directory, long budget) {
    RocksDB.loadLibrary();
    options = new Options().setCreateIfMissing(true)
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)))
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    try {
      db = RocksDB.open(options, directory.resolve("raw.rocksdb").toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    copies = Caffeine.newBuilder().maximumWeight(budget).executor(Runnable::run)
        .weigher((Integer key, byte[] value) -> value.length + 64).build();
  }

  private static byte[] key(Object key) {
    return ByteBuffer.allocate(4).putInt((Integer) key).array();
  }

  @Override
  public long heapHits() {
    return heapHits.sum();
  }

  @Override
  public Object get(Object key) {
    byte[] copy = copies.getIfPresent((Integer) key);
    if (copy != null) {
      heapHits.increment();
      return copy.clone();
    }
    try {
      byte[] value = db.get(key(key));
      if (value != null) {
        copies.put((Integer) key, value.clone()); // the caller owns what it gets
      }
      return value;
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void put(Object key, Object value) {
    byte[] bytes = (byte[]) value;
    try {
      db.put(key(key), bytes);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    if (copies.getIfPresent((Integer) key) != null) {
      copies.put((Integer) key, bytes.clone());
    }
  }

  @Override
  public void close() {
    db.close();
    options.close();
  }
}
