package io.tiercache.persistence;

import io.tiercache.serialization.ClassRegistry;
import io.tiercache.tier.TierUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The directory where one cache manager's disk tiers live, owned exclusively by this process while open:
 *
 * <pre>
 *   tiercache.lock            held (OS file lock) while a process uses the directory; holds its pid
 *   kryo-classes.registry     the serializer's class registrations, shared by the caches
 *   rocksdb/                  one RocksDB database, a column family per cache
 *   mapdb/&lt;cache&gt;.db          one MapDB file per cache
 * </pre>
 *
 * Directories are created readable by their owner only (0700). Cache names become file names through
 * {@link StoreNames}, so no name can reach outside the directory.
 */
public final class StoreDirectory implements AutoCloseable {

  /**
   * Directories this JVM holds. Checked before a lock file is even opened: on Linux, closing any descriptor of
   * a file drops every lock this process holds on it, so a refused second attempt must not touch the file.
   */
  private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ClassRegistry registry;

  private StoreDirectory(Path root, FileChannel lockChannel, FileLock lock, ClassRegistry registry) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.registry = registry;
  }

  /**
   * Creates (0700) and locks the directory.
   *
   * @throws TierUnavailableException if it cannot be created or written, or another process holds it
   */
  public static StoreDirectory open(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    try {
      createPrivateDirectories(absolute);
    } catch (IOException | RuntimeException e) {
      throw new TierUnavailableException("Cannot create the tiercache directory " + absolute + ": " + e, e);
    }
    try {
      // one key per directory however it is reached (a symbolic link, a bind mount): see HELD
      absolute = absolute.toRealPath();
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot resolve the tiercache directory " + absolute + ": " + e, e);
    }
    if (!Files.isWritable(absolute)) {
      throw new TierUnavailableException("The tiercache directory " + absolute + " is not writable", null);
    }
    checkOwnership(absolute);
    if (!HELD.add(absolute)) {
      // JSR-107 lets one URI have a manager per class loader; the second one cannot share the files, but may run
      // (visibly degraded) rather than fail: unlike another process, it cannot be a second deployment by mistake
      throw TierUnavailableException.degradable("The tiercache directory " + absolute + " is already open in this"
          + " process by another cache manager; use one cache manager per directory", null);
    }
    try {
      return lock(absolute);
    } catch (RuntimeException e) {
      HELD.remove(absolute);
      throw e;
    }
  }

  /**
   * Refuses a directory another user owns or anyone may write to (what it holds could be swapped under us),
   * and narrows one that others may read to 0700, with a warning: cached data is the owner's alone.
   */
  private static void checkOwnership(Path absolute) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      String owner = Files.getOwner(absolute).getName();
      String user = System.getProperty("user.name");
      if (!owner.equals(user) && !user.equals("root")) {
        throw new TierUnavailableException("The tiercache directory " + absolute + " belongs to " + owner
            + ", not to " + user + " who runs this process; use a directory of your own", null);
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(absolute);
      if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new TierUnavailableException("The tiercache directory " + absolute + " is writable by every user ("
            + PosixFilePermissions.toString(permissions) + "), so its data could be replaced behind the cache's"
            + " back; use a directory only its owner can write (chmod 700)", null);
      }
      if (!permissions.equals(PosixFilePermissions.fromString("rwx------"))) {
        LoggerFactory.getLogger(StoreDirectory.class).warn("The tiercache directory {} was {}; narrowed it to"
            + " rwx------ so that only its owner can reach the cached data", absolute,
            PosixFilePermissions.toString(permissions));
        Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(absolute)) {
        for (Path child : children) {
          io.tiercache.tier.FilePermissions.ownerOnlyTree(child);
        }
      }
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot check the permissions of " + absolute + ": " + e, e);
    }
  }

  private static StoreDirectory lock(Path absolute) {
    Path lockFile = absolute.resolve("tiercache.lock");
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot open the lock file " + lockFile + ": " + e, e);
    }
    FileLock lock;
    try {
      io.tiercache.tier.FilePermissions.ownerOnly(lockFile);
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      // JSR-107 lets one URI have a manager per class loader; the second one cannot share the files, but may run
      // (visibly degraded) rather than fail: unlike another process, it cannot be a second deployment by mistake
      throw TierUnavailableException.degradable("The tiercache directory " + absolute + " is already open in this"
          + " process by another cache manager; use one cache manager per directory", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new TierUnavailableException("Cannot lock " + lockFile + ": " + e, e);
    }
    if (lock == null) {
      String holder = readHolder(lockFile);
      closeQuietly(channel);
      throw new TierUnavailableException("The tiercache directory " + absolute + " is in use by another process"
          + holder + "; a store can be open in one process at a time", null);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      // the pid is only for the message another process shows; the lock is what matters
    }
    try {
      return new StoreDirectory(absolute, channel, lock, ClassRegistry.open(absolute.resolve("kryo-classes.registry")));
    } catch (RuntimeException e) {
      // a registry that cannot be read must not leave the directory locked for the rest of the process
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Returns who holds {@code directory} now, such as {@code "this process"} or {@code "another process (pid
   * 4242)"}, or null when no process does. Never takes a lock that could disturb the holder: a directory this
   * JVM holds is answered from memory, since closing a probe's descriptor would drop this JVM's own lock.
   */
  public static String holder(Path directory) {
    Path absolute = directory.toAbsolutePath().normalize();
    try {
      absolute = absolute.toRealPath();
    } catch (IOException missing) {
      return null; // no directory, no holder
    }
    if (HELD.contains(absolute)) {
      return "this process";
    }
    Path lockFile = absolute.resolve("tiercache.lock");
    if (!Files.exists(lockFile)) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe != null) {
        probe.release();
        return null;
      }
      return "another process" + readHolder(lockFile);
    } catch (OverlappingFileLockException e) {
      return "this process";
    } catch (IOException e) {
      return "unknown (the lock file " + lockFile + " cannot be opened: " + e.getMessage() + ")";
    }
  }

  private static String readHolder(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
      return pid.isEmpty() ? "" : " (pid " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** Creates a directory and its missing parents, owner-only where the file system has POSIX permissions. */
  public static void createPrivateDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  /** Returns the directory. */
  public Path root() {
    return root;
  }

  /** Returns the RocksDB database directory. */
  public Path rocksDb() {
    return root.resolve("rocksdb");
  }

  /** Returns the MapDB file of a cache. */
  public Path mapDbFile(String cacheName) {
    return root.resolve("mapdb").resolve(StoreNames.encode(cacheName) + ".db");
  }

  /** Returns the serializer's class registrations. */
  public ClassRegistry registry() {
    return registry;
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
    HELD.remove(root);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
