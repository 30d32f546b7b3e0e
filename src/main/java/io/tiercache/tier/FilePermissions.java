package io.tiercache.tier;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Keeps what tiercache writes readable by its owner only: directories 0700, files 0600. Cached data is often
 * personal or secret; nothing about it should be readable by the other users of a machine. A no-op on file
 * systems without POSIX permissions.
 */
public final class FilePermissions {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private FilePermissions() { }

  /** Makes {@code path} (a file, or a directory) accessible to its owner only. */
  public static void ownerOnly(Path path) throws IOException {
    if (POSIX && Files.exists(path)) {
      Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
    }
  }

  /**
   * Makes {@code directory} and everything under it accessible to its owner only. Files that vanish meanwhile
   * (an engine deleting obsolete files in the background) are skipped.
   */
  public static void ownerOnlyTree(Path directory) throws IOException {
    if (!POSIX || !Files.exists(directory)) {
      return;
    }
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
        setQuietly(dir, DIRECTORY);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        setQuietly(file, FILE);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
  }

  private static void setQuietly(Path path, Set<PosixFilePermission> permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (NoSuchFileException gone) {
      // deleted since it was listed
    }
  }
}
