package io.tiercache.encryption;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Moves raw record bytes inside a closed RocksDB store, as someone with access to the files could. */
final class RawRocksDb {

  private RawRocksDb() { }

  /** The stored form of a String key: its tag byte, then its UTF-8 bytes. */
  static byte[] stringKey(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length + 1];
    out[0] = 2;
    System.arraycopy(utf8, 0, out, 1, utf8.length);
    return out;
  }

  /** Copies the record of {@code fromKey} in cache {@code fromCache} to {@code toKey} in {@code toCache}. */
  static void copyRecord(Path rocksDb, String fromCache, String fromKey, String toCache, String toKey)
      throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options listing = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(listing, rocksDb.toString())) {
        descriptors.add(new ColumnFamilyDescriptor(name));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, rocksDb.toString(), descriptors, handles)) {
      ColumnFamilyHandle from = handle(descriptors, handles, fromCache);
      ColumnFamilyHandle to = handle(descriptors, handles, toCache);
      byte[] record = db.get(from, stringKey(fromKey));
      if (record == null) {
        throw new AssertionError("no record of " + fromKey + " in " + fromCache);
      }
      db.put(to, stringKey(toKey), record);
      handles.forEach(ColumnFamilyHandle::close);
    }
  }

  private static ColumnFamilyHandle handle(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles,
      String name) {
    for (int i = 0; i < descriptors.size(); i++) {
      if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(name)) {
        return handles.get(i);
      }
    }
    throw new AssertionError("no column family " + name);
  }
}
