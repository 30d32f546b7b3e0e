package io.tiercache.tier.serialized;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A {@link ByteStore} whose records are sealed by a {@link RecordProtection} before they reach the engine and
 * opened when read back. Everything above it (the tier, its recovery sweep, its capacity accounting) sees plain
 * records; everything below it (MapDB's redo log and file, RocksDB's log and tables) sees sealed ones. A record
 * that fails authentication reads as {@link RecordFormat#UNAUTHENTIC}, which the tier drops as damaged: a miss,
 * never a value. The store also keeps one marker entry, under a key no serialized key can equal, that ties it
 * to the keys it was sealed with.
 */
public final class ProtectedStore implements ByteStore {

  /** The key of the marker entry: 0xFF starts no serialized key, and no keyed hash is this long. */
  public static final byte[] MARKER_KEY = "\u00fftiercache-encryption".getBytes(
      java.nio.charset.StandardCharsets.ISO_8859_1);

  /**
   * Returns true for the marker entry and for sealed records, whose checksum only their keys can check: for
   * code that looks at a store's raw records (a consistency check, a verifier).
   */
  public static boolean sealedOrMarker(byte[] key, byte[] record) {
    return Arrays.equals(key, MARKER_KEY) || (record.length > 0 && record[0] == SEALED);
  }

  /** The first byte of a sealed record, which no plain record format version has. */
  public static final byte SEALED = 0x45;

  private final ByteStore inner;
  private final RecordProtection protection;

  private ProtectedStore(ByteStore inner, RecordProtection protection) {
    this.inner = inner;
    this.protection = protection;
  }

  /** Wraps {@code inner}, writing the protection's marker into it. */
  public static ProtectedStore wrap(ByteStore inner, RecordProtection protection) {
    ProtectedStore store = new ProtectedStore(inner, protection);
    if (!Arrays.equals(inner.get(MARKER_KEY), protection.marker())) {
      inner.put(MARKER_KEY, protection.marker());
    }
    return store;
  }

  private byte[] plain(byte[] storedKey, byte[] stored, byte[] keyBytes) {
    RecordProtection.Opened opened = protection.open(storedKey, stored);
    if (opened == null || (opened.keyBytes() != null && !Arrays.equals(opened.keyBytes(), keyBytes))) {
      return RecordFormat.UNAUTHENTIC.clone();
    }
    return opened.record();
  }

  @Override
  public byte[] get(byte[] key) {
    byte[] storedKey = protection.storedKey(key);
    byte[] stored = inner.get(storedKey);
    return stored == null ? null : plain(storedKey, stored, key);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    List<byte[]> storedKeys = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      storedKeys.add(protection.storedKey(key));
    }
    List<byte[]> stored = inner.getAll(storedKeys);
    List<byte[]> records = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      byte[] record = stored.get(i);
      records.add(record == null ? null : plain(storedKeys.get(i), record, keys.get(i)));
    }
    return records;
  }

  @Override
  public void put(byte[] key, byte[] record) {
    byte[] storedKey = protection.storedKey(key);
    inner.put(storedKey, protection.seal(storedKey, key, record));
  }

  @Override
  public int swap(byte[] key, byte[] record) {
    byte[] storedKey = protection.storedKey(key);
    int previous = inner.swap(storedKey, protection.seal(storedKey, key, record));
    // the tier counts plain bytes; a previous record in plain text (from before encryption) is counted a little
    // short, never negative
    return previous < 0 ? -1 : Math.max(0, previous - protection.overhead(key));
  }

  @Override
  public void delete(byte[] key) {
    inner.delete(protection.storedKey(key));
  }

  @Override
  public void deleteDamaged(byte[] key) {
    inner.deleteDamaged(protection.storedKey(key));
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> iterator(byte[] startHint) {
    Iterator<Map.Entry<byte[], byte[]>> stored = inner.iterator(startHint == null ? null
        : protection.storedKey(startHint));
    return new Iterator<>() {
      private Map.Entry<byte[], byte[]> next = advance();

      private Map.Entry<byte[], byte[]> advance() {
        while (stored.hasNext()) {
          Map.Entry<byte[], byte[]> entry = stored.next();
          if (Arrays.equals(entry.getKey(), MARKER_KEY)) {
            continue;
          }
          RecordProtection.Opened opened = protection.open(entry.getKey(), entry.getValue());
          if (opened == null) {
            return Map.entry(entry.getKey(), RecordFormat.UNAUTHENTIC.clone());
          }
          return Map.entry(opened.keyBytes() == null ? entry.getKey() : opened.keyBytes(), opened.record());
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<byte[], byte[]> next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Map.Entry<byte[], byte[]> current = next;
        next = advance();
        return current;
      }
    };
  }

  /**
   * Seals again, the way the protection seals now, every record sealed otherwise (with an older key, or not at
   * all), and writes {@code marker} as the store's marker. For a store nobody else uses meanwhile (the command
   * line's {@code rekey}). Records that fail authentication are left as they are: a read drops them.
   *
   * @return how many records were sealed again
   */
  public long resealAll(byte[] marker) {
    List<byte[]> storedKeys = new ArrayList<>();
    Iterator<Map.Entry<byte[], byte[]>> all = inner.iterator(null);
    while (all.hasNext()) {
      Map.Entry<byte[], byte[]> entry = all.next();
      if (!Arrays.equals(entry.getKey(), MARKER_KEY) && !protection.current(entry.getValue())) {
        storedKeys.add(entry.getKey());
      }
    }
    long resealed = 0;
    for (byte[] storedKey : storedKeys) {
      byte[] stored = inner.get(storedKey);
      RecordProtection.Opened opened = stored == null ? null : protection.open(storedKey, stored);
      if (opened != null) {
        byte[] keyBytes = opened.keyBytes() == null ? storedKey : opened.keyBytes();
        inner.put(storedKey, protection.seal(storedKey, keyBytes, opened.record()));
        resealed++;
      }
    }
    inner.put(MARKER_KEY, marker);
    return resealed;
  }

  @Override
  public void clear() {
    inner.clear();
    inner.put(MARKER_KEY, protection.marker());
  }

  @Override
  public java.nio.file.Path location() {
    return inner.location();
  }

  @Override
  public Object engine() {
    return inner.engine();
  }

  @Override
  public void close() {
    inner.close();
  }
}
