package io.tiercache.tier;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forces a directory's entries (a file created, renamed or deleted in it) to the disk. */
public final class DirectorySync {

  private DirectorySync() { }

  /** Forces {@code directory}'s entries to the disk; a file system that cannot sync a directory is let be. */
  public static void force(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException notSupported) {
      // some file systems cannot sync a directory; the files themselves are synced by their writers
    }
  }
}
