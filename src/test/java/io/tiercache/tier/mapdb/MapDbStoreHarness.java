package io.tiercache.tier.mapdb;

import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;

/** A logged MapDB store with a small compaction threshold, for tests of the log. */
final class MapDbStoreHarness {

  final LoggedStore store;

  private MapDbStoreHarness(LoggedStore store) {
    this.store = store;
  }

  static MapDbStoreHarness open(Path base, long compactionBytes) {
    DB db = DBMaker.fileDB(base.toFile()).fileMmapEnableIfSupported().make();
    HTreeMap<byte[], byte[]> map = db.hashMap("entries", org.mapdb.Serializer.BYTE_ARRAY,
        org.mapdb.Serializer.BYTE_ARRAY).createOrOpen();
    RedoLog log = RedoLog.at(base);
    log.openForAppend();
    return new MapDbStoreHarness(new LoggedStore(new MapDbStore(db, map, false, base.getParent()), log,
        compactionBytes));
  }

  void close() {
    store.close();
  }
}
