package io.tiercache.tier.rocksdb;

import io.tiercache.tier.FilePermissions;
import io.tiercache.tier.TierUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * What tiercache knows a RocksDB directory must hold, kept beside RocksDB's own files: the column families
 * (caches) created there and the last sequence number at a clean close. RocksDB's MANIFEST says the same
 * things; when the MANIFEST is damaged, RocksDB can open "fine" with caches or keys missing, and this is how
 * the loss is noticed before anything is deleted. The file is small, rewritten whole (through a temporary
 * file and an atomic rename) and checksummed.
 */
final class RocksDbCatalog {

  static final String FILE_NAME = "tiercache-catalog";

  private final Path file;
  private final Set<String> families = new TreeSet<>();
  private long lastSequence;
  private boolean legacyRecords = true; // unknown for a catalog from before the flag: assume the worst
  private boolean exists;

  private RocksDbCatalog(Path file) {
    this.file = file;
  }

  /** Reads the catalog of {@code directory}; an empty one if there is none yet. */
  static RocksDbCatalog of(Path directory) {
    RocksDbCatalog catalog = new RocksDbCatalog(directory.resolve(FILE_NAME));
    if (!Files.exists(catalog.file)) {
      return catalog;
    }
    catalog.exists = true;
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(catalog.file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot read " + catalog.file + ": " + e, e);
    }
    String checksum = lines.isEmpty() ? "" : lines.remove(lines.size() - 1);
    if (!checksum.equals("crc " + Long.toHexString(crc(lines)))) {
      throw new TierUnavailableException(catalog.file + " is damaged (its checksum does not match), so tiercache"
          + " cannot check that RocksDB's MANIFEST still lists every cache of " + directory + ". If the"
          + " RocksDB store itself is sound, delete " + catalog.file + " and it is written anew.", null);
    }
    for (String line : lines) {
      if (line.startsWith("family ")) {
        catalog.families.add(line.substring(7));
      } else if (line.startsWith("sequence ")) {
        catalog.lastSequence = Long.parseLong(line.substring(9));
      } else if (line.startsWith("legacy-records ")) {
        catalog.legacyRecords = Boolean.parseBoolean(line.substring(15));
      }
    }
    return catalog;
  }

  Set<String> families() {
    return families;
  }

  long lastSequence() {
    return lastSequence;
  }

  /** Returns true when the store may hold records older than format version 3. */
  boolean legacyRecords() {
    return legacyRecords;
  }

  /**
   * Decides, for a catalog written for the first time, whether its store may hold older records: only one
   * that already had caches may.
   */
  synchronized void created(boolean hadCaches) {
    if (!exists) {
      legacyRecords = hadCaches;
      exists = true;
      write();
    }
  }

  /** Records a new column family, durably, before any record goes into it. */
  synchronized void addFamily(String family) {
    if (families.add(family)) {
      write();
    }
  }

  /** Forgets a family that is being dropped. */
  synchronized void removeFamily(String family) {
    if (families.remove(family)) {
      write();
    }
  }

  /** Records the sequence number of a clean close. */
  synchronized void closedAt(long sequence) {
    lastSequence = sequence;
    write();
  }

  private void write() {
    List<String> lines = new ArrayList<>();
    families.forEach(f -> lines.add("family " + f));
    lines.add("sequence " + lastSequence);
    lines.add("legacy-records " + legacyRecords);
    lines.add("crc " + Long.toHexString(crc(lines)));
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      FilePermissions.ownerOnly(temporary);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot write " + file + ": " + e, e);
    }
  }

  private static long crc(List<String> lines) {
    CRC32C crc = new CRC32C();
    for (String line : lines) {
      crc.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return crc.getValue();
  }
}
