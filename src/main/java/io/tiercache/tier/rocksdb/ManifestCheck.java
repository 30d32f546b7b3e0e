package io.tiercache.tier.rocksdb;

import io.tiercache.tier.TierUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Checks the checksum of every record of a RocksDB directory's MANIFEST before RocksDB reads it. RocksDB
 * 10.10 can loop forever, inside native code where no timeout reaches, on a MANIFEST whose record type byte was
 * damaged (found by {@code DamageTest}'s long form): a cache must refuse such a store, naming it, rather than
 * hang its {@code createCache}.
 *
 * <p>The MANIFEST is a RocksDB log: 32 KiB blocks of records, each behind a header of a masked CRC-32C
 * (little-endian), a length (little-endian) and a type, 7 bytes, or 11 with the log number of a recyclable
 * record; the checksum covers the type, the log number if any, and the payload. A block's last bytes, too few
 * for a header, are padding, and so is a record of type and length zero. A record whose checksum matches
 * under neither header layout is damage. A last record cut short by the end of the file is left to RocksDB,
 * which treats a torn tail by its own rules: only complete records are judged here.
 */
final class ManifestCheck {

  private static final int BLOCK = 32 * 1024;
  private static final int HEADER = 7;
  private static final int RECYCLABLE_HEADER = 11;
  private static final int MASK_DELTA = 0xa282ead8;

  private ManifestCheck() { }

  /**
   * Checks the MANIFEST that {@code directory}'s CURRENT names, if there is one.
   *
   * @throws TierUnavailableException naming the file when a record fails its checksum
   */
  static void check(Path directory) {
    Path current = directory.resolve("CURRENT");
    if (!Files.isRegularFile(current)) {
      return; // no database yet, or damage RocksDB reports by itself without hanging
    }
    Path manifest;
    byte[] bytes;
    try {
      String name = Files.readString(current, StandardCharsets.ISO_8859_1).trim();
      if (!name.matches("MANIFEST-[0-9]+")) {
        return; // a damaged CURRENT: RocksDB names it
      }
      manifest = directory.resolve(name);
      if (!Files.isRegularFile(manifest)) {
        return;
      }
      bytes = Files.readAllBytes(manifest);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot read the RocksDB MANIFEST in " + directory + ": " + e, e);
    }
    long damaged = firstDamagedRecord(bytes);
    if (damaged >= 0) {
      throw new TierUnavailableException("The RocksDB store in " + directory + " is damaged: " + manifest.getFileName()
          + " fails its checksum at byte " + damaged + ". tiercache does not start on it rather than serve a part"
          + " of it as if it were whole. Restore the directory from a backup, or move it aside to start empty.",
          null);
    }
  }

  /** Returns the offset of the first complete record that fails its checksum, or -1 when all pass. */
  static long firstDamagedRecord(byte[] log) {
    int at = 0;
    while (at < log.length) {
      int blockLeft = BLOCK - at % BLOCK;
      if (blockLeft < HEADER) {
        at += blockLeft; // the block's trailer
        continue;
      }
      if (log.length - at < HEADER) {
        return -1; // a header cut short at the end: a torn tail
      }
      int length = (log[at + 4] & 0xFF) | (log[at + 5] & 0xFF) << 8;
      int type = log[at + 6] & 0xFF;
      if (type == 0 && length == 0) {
        at += blockLeft; // padding (preallocated or zeroed space) to the end of the block
        continue;
      }
      int stored = (log[at] & 0xFF) | (log[at + 1] & 0xFF) << 8 | (log[at + 2] & 0xFF) << 16
          | (log[at + 3] & 0xFF) << 24;
      boolean plainFits = HEADER + length <= blockLeft && at + HEADER + length <= log.length;
      boolean recyclableFits = RECYCLABLE_HEADER + length <= blockLeft
          && at + RECYCLABLE_HEADER + length <= log.length;
      if (plainFits && stored == masked(log, at + 6, 1 + length)) {
        at += HEADER + length;
      } else if (recyclableFits && stored == masked(log, at + 6, 5 + length)) {
        at += RECYCLABLE_HEADER + length;
      } else if (!plainFits && at + HEADER + length > log.length && HEADER + length <= blockLeft) {
        return -1; // a last record cut short by the end of the file: a torn tail, RocksDB's to judge
      } else {
        return at;
      }
    }
    return -1;
  }

  /** RocksDB's masked CRC-32C of {@code length} bytes from {@code offset}. */
  private static int masked(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }
}
