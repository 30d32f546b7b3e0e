package io.tiercache.tier.serialized;

import io.tiercache.tier.TierException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses writes before a store's file system is full, keeping a reserve free: the engines cope badly with the
 * last byte (a memory-mapped file faults, RocksDB stops writing until it is reopened), while a write refused a
 * little early fails cleanly, leaves everything stored readable, and succeeds again as soon as space is freed.
 * The free space is sampled at most every {@value #SAMPLE_MILLIS} ms, and always when a write would come close.
 */
final class FreeSpace {

  static final long SAMPLE_MILLIS = 50;
  private static final long MAX_RESERVE = 256L << 20;

  private final Path directory;
  private final FileStore fileStore;
  private final long reserve;
  private volatile long sampledAt;
  private volatile long usable;

  private FreeSpace(Path directory, FileStore fileStore, long reserve) {
    this.directory = directory;
    this.fileStore = fileStore;
    this.reserve = reserve;
  }

  /**
   * Returns a guard for the file system of {@code directory}: its reserve is a tenth of the file system, at
   * most 256 MiB. Null when the file system cannot be inspected (writes are then not guarded).
   */
  static FreeSpace of(Path directory) {
    try {
      FileStore store = Files.getFileStore(directory);
      return new FreeSpace(directory, store, Math.min(MAX_RESERVE, store.getTotalSpace() / 10));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Checks that {@code bytes} more fit above the reserve.
   *
   * @throws TierException naming the directory, the free space and the reserve, when they do not
   */
  void requireRoom(long bytes) {
    long now = System.nanoTime();
    long known = usable;
    if (now - sampledAt > SAMPLE_MILLIS * 1_000_000 || known - bytes < reserve) {
      try {
        known = fileStore.getUsableSpace();
      } catch (IOException e) {
        return; // cannot tell: let the engine try
      }
      usable = known;
      sampledAt = now;
    }
    if (known - bytes < reserve) {
      throw new TierException("No space left on device for " + directory + ": " + known + " bytes free, and "
          + reserve + " are kept in reserve so that the store stays sound; writes resume once space is freed",
          null);
    }
    usable = known - bytes; // until the next sample, count what this write takes
  }
}
