package io.tiercache.cli;

import io.tiercache.persistence.StoreDirectory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the directory a command is given. */
final class Directories {

  private Directories() { }

  /** Returns the directory, or fails naming it when it is not a tiercache directory. */
  static Path existing(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new CliException(directory + " is not a directory");
    }
    if (!Files.exists(directory.resolve("tiercache.lock")) && !Files.exists(directory.resolve("rocksdb"))
        && !Files.exists(directory.resolve("mapdb"))) {
      throw new CliException(directory + " is not a tiercache directory (it has no tiercache.lock, rocksdb/ or"
          + " mapdb/)");
    }
    return directory.toAbsolutePath().normalize();
  }

  /**
   * Fails when a process holds the directory: commands that write (compact, import) never touch one in use;
   * inspect, verify and export only read it.
   */
  static void requireFree(Path directory, String command) {
    String holder = StoreDirectory.holder(directory);
    if (holder != null) {
      throw new CliException(directory + " is in use by " + holder + "; " + command + " changes the directory"
          + " and needs it free: stop that process first (inspect, verify and export only read, and work on a"
          + " directory in use)");
    }
  }
}
