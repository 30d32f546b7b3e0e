package io.tiercache.tier.mapdb;

import io.tiercache.tier.TierException;
import io.tiercache.tier.TierUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The append-only log that makes a memory-mapped MapDB file crash-safe without MapDB's transactions (which
 * cost a millisecond per write). Every change of the store is appended here before the mapped file sees it;
 * a write returns once its entry is in the operating system's page cache, which a killed process cannot take
 * back. The log holds the store's whole history since it was last compacted, so a file left inconsistent by
 * a crash is thrown away and rebuilt by replaying the log.
 *
 * <p>The log is a sequence of generations, {@code <store>.log.<n>}, replayed in order. An entry is framed as
 * {@code length (4) | payload CRC-32C (4) | header CRC-32C (4) | op (1) | key length (4) | key | record}: the
 * payload CRC covers everything after the header, the header CRC the length and the payload CRC. An entry the
 * last generation ends in the middle of (its header sound, or itself incomplete) is the write a crash
 * interrupted: it was never acknowledged and is cut off. Any other damage refuses the open, naming the file,
 * since replaying past it could bring back a value that a lost entry had replaced.
 */
final class RedoLog implements AutoCloseable {

  static final byte PUT = 1;
  static final byte DELETE = 2;
  private static final int FRAME_HEADER = 12;
  private static final int MAX_ENTRY = Integer.MAX_VALUE - 64;
  private static final int BATCH_BYTES = 1 << 20;
  private static final String PARTIAL = ".partial";

  /** Receives the entries of a replay, in log order. */
  interface Replay {
    void put(byte[] key, byte[] record);

    void delete(byte[] key);
  }

  private final Path base;
  private final TreeMap<Long, Path> generations = new TreeMap<>();
  private FileChannel current;   // guarded by this
  private long currentBytes;     // guarded by this
  private long olderBytes;       // guarded by this: the generations before the current one

  private RedoLog(Path base) {
    this.base = base;
  }

  /** Returns the log of the store {@code base} (its generations are {@code base.log.<n>}), opening none yet. */
  static RedoLog at(Path base) {
    return at(base, true);
  }

  /**
   * Returns the log of the store {@code base}, to be read only: a partial bootstrap file is left alone (it may
   * be a running process's bootstrap in progress) and nothing is written.
   */
  static RedoLog readOnlyAt(Path base) {
    return at(base, false);
  }

  private static RedoLog at(Path base, boolean tidy) {
    RedoLog log = new RedoLog(base);
    String prefix = base.getFileName() + ".log.";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(base.toAbsolutePath().getParent(), prefix + "*")) {
      for (Path file : files) {
        String suffix = file.getFileName().toString().substring(prefix.length());
        if (suffix.matches("[0-9]{1,18}")) {
          log.generations.put(Long.parseLong(suffix), file);
        } else if (tidy && suffix.endsWith(PARTIAL)) {
          Files.deleteIfExists(file); // a bootstrap a crash interrupted: the store it copied is still there
        }
      }
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot list the MapDB log files of " + base + ": " + e, e);
    }
    return log;
  }

  /**
   * Returns the file whose presence says the store holds records written before the log existed, which may be
   * of format versions older than 3.
   */
  Path legacyMarker() {
    return base.resolveSibling(base.getFileName() + ".legacy-records");
  }

  /** Returns the file whose presence has the next open rebuild the mapped file from this log. */
  Path rebuildMarker() {
    return base.resolveSibling(base.getFileName() + ".rebuild");
  }

  /** Has the next open rebuild the mapped file from this log (a damaged record was found in the file). */
  void markForRebuild() {
    try {
      if (!Files.exists(rebuildMarker())) {
        Files.createFile(rebuildMarker());
      }
    } catch (IOException e) {
      throw new TierException("Cannot mark " + base + " for a rebuild from its log: " + e, e);
    }
  }

  /** Returns true when the store has a log (it was opened with logging before). */
  boolean exists() {
    return !generations.isEmpty();
  }

  /**
   * Replays every generation in order into {@code target}, cutting off an entry torn by a crash at the end of
   * the last one.
   *
   * @return the number of entries replayed
   * @throws TierUnavailableException naming the file and offset when a generation is damaged
   */
  long replay(Replay target) {
    return replay(target, true);
  }

  /**
   * Replays as {@link #replay(Replay)} does; with {@code repair} false the files are only read, and a torn
   * last entry is skipped but left in place (for verification).
   */
  long replay(Replay target, boolean repair) {
    long entries = 0;
    Long last = generations.isEmpty() ? null : generations.lastKey();
    for (var generation : generations.entrySet()) {
      entries += replay(generation.getValue(), generation.getKey().equals(last), target, repair);
    }
    return entries;
  }

  private long replay(Path file, boolean last, Replay target, boolean repair) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot read the MapDB log " + file + ": " + e, e);
    }
    ByteBuffer in = ByteBuffer.wrap(content);
    long entries = 0;
    while (in.remaining() > 0) {
      int offset = in.position();
      boolean torn = false;
      String damage;
      if (in.remaining() < FRAME_HEADER) {
        torn = true;
        damage = "an incomplete entry header";
      } else {
        int length = in.getInt();
        int payloadCrc = in.getInt();
        int headerCrc = in.getInt();
        CRC32C check = new CRC32C();
        check.update(content, offset, 8);
        if ((int) check.getValue() != headerCrc || length < 5) {
          damage = "an entry header failing its checksum"; // a length no longer to be trusted: never "torn"
        } else if (length > in.remaining()) {
          torn = true; // a sound header whose entry the file ends in: the write a crash interrupted
          damage = "an incomplete entry";
        } else {
          check.reset();
          check.update(content, in.position(), length);
          byte op = in.get();
          int keyLength = in.getInt();
          if ((int) check.getValue() != payloadCrc) {
            damage = "an entry failing its checksum";
          } else if (keyLength < 0 || keyLength > length - 5 || (op != PUT && op != DELETE)) {
            damage = "a malformed entry";
          } else {
            byte[] key = new byte[keyLength];
            in.get(key);
            byte[] record = new byte[length - 5 - keyLength];
            in.get(record);
            if (op == PUT) {
              target.put(key, record);
            } else {
              target.delete(key);
            }
            entries++;
            continue;
          }
        }
      }
      if (torn && last) {
        if (repair) {
          cutTornTail(file, offset, damage);
        }
        return entries;
      }
      throw new TierUnavailableException("The MapDB log " + file + " is damaged: " + damage + " at byte " + offset
          + " of " + content.length + ". Replaying past it could bring back values that the lost entries had"
          + " replaced, so the cache does not start. Restore the cache's files from a backup, or delete "
          + base.getFileName() + " and its .log.* files to start this tier empty.", null);
    }
    return entries;
  }

  private static void cutTornTail(Path file, int offset, String damage) {
    org.slf4j.LoggerFactory.getLogger(RedoLog.class).info("MapDB log {} ends with {} at byte {}: the write a crash"
        + " interrupted, never acknowledged; cutting it off", file, damage, offset);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(offset);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot cut the torn end off the MapDB log " + file + ": " + e, e);
    }
  }

  /**
   * Writes the first generation whole from the records of a store that had no log (from an older version, or
   * opened in another mode): into a temporary file first, forced to disk and then renamed, so that a log is
   * either complete or absent and never taken for the whole history when it is not.
   */
  synchronized void bootstrap(java.util.Iterator<java.util.Map.Entry<byte[], byte[]>> records) {
    if (!generations.isEmpty()) {
      throw new IllegalStateException("the log of " + base + " exists already");
    }
    Path target = generationFile(0);
    Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
    current = openChannel(partial);
    currentBytes = 0;
    generations.put(0L, partial); // for error messages while writing
    try {
      appendAll(records);
      current.force(true);
      current.close();
      Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot write the MapDB log " + target + ": " + e, e);
    } finally {
      closeQuietly(current);
      current = null;
      generations.clear();
    }
    generations.put(0L, target);
  }

  /** Deletes every generation: the store was opened in a mode without the log, which would now be stale. */
  synchronized void deleteAll() {
    for (Path file : generations.values()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new TierUnavailableException("Cannot delete the stale MapDB log " + file + ": " + e, e);
      }
    }
    generations.clear();
  }

  /** Opens the last generation for appending, creating generation 0 when there is none. */
  synchronized void openForAppend() {
    if (generations.isEmpty()) {
      generations.put(0L, generationFile(0));
    }
    olderBytes = 0;
    for (Path older : generations.headMap(generations.lastKey()).values()) {
      olderBytes += sizeOf(older);
    }
    current = openChannel(generations.lastEntry().getValue());
    currentBytes = sizeOf(generations.lastEntry().getValue());
  }

  /**
   * Appends one entry; it is in the page cache, and survives the process being killed, when this returns.
   *
   * @throws TierException naming the file when the write fails (a full disk, say); nothing is then appended
   *     that a replay would read
   */
  void append(byte op, byte[] key, byte[] record) {
    ByteBuffer[] frame = frame(op, key, record);
    synchronized (this) {
      write(frame);
    }
  }

  /**
   * Appends many PUT entries with few writes (compaction), in batches of about a megabyte.
   *
   * @throws TierException as {@link #append} does
   */
  void appendAll(java.util.Iterator<java.util.Map.Entry<byte[], byte[]>> records) {
    ByteBuffer batch = ByteBuffer.allocate(BATCH_BYTES);
    synchronized (this) {
      while (records.hasNext()) {
        java.util.Map.Entry<byte[], byte[]> record = records.next();
        ByteBuffer[] frame = frame(PUT, record.getKey(), record.getValue());
        long length = frame[0].remaining() + frame[1].remaining();
        if (length > batch.remaining()) {
          batch.flip();
          write(new ByteBuffer[] {batch});
          batch.clear();
        }
        if (length > batch.capacity()) {
          write(frame);
        } else {
          batch.put(frame[0]).put(frame[1]);
        }
      }
      batch.flip();
      write(new ByteBuffer[] {batch});
    }
  }

  /** An entry as two buffers, its header (with the key) and its record, so the record is never copied. */
  private ByteBuffer[] frame(byte op, byte[] key, byte[] record) {
    int recordLength = record == null ? 0 : record.length;
    long length = 5L + key.length + recordLength;
    if (length > MAX_ENTRY) {
      throw new TierException("A record of " + length + " bytes is too large for the MapDB log of " + base, null);
    }
    ByteBuffer head = ByteBuffer.allocate(FRAME_HEADER + 5 + key.length);
    head.putInt((int) length).putInt(0).putInt(0).put(op).putInt(key.length).put(key);
    CRC32C crc = new CRC32C();
    crc.update(head.array(), FRAME_HEADER, 5 + key.length);
    if (record != null) {
      crc.update(record, 0, record.length);
    }
    head.putInt(4, (int) crc.getValue());
    crc.reset();
    crc.update(head.array(), 0, 8); // the header's own checksum: a damaged length is told from a torn end
    head.putInt(8, (int) crc.getValue());
    head.flip();
    return new ByteBuffer[] {head, record == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(record)};
  }

  /** Writes buffers at the end of the current generation; the caller holds this log's monitor. */
  private void write(ByteBuffer[] buffers) {
    if (current == null) {
      throw new TierException("The MapDB log of " + base + " is closed", null);
    }
    long start = currentBytes;
    long total = 0;
    for (ByteBuffer buffer : buffers) {
      total += buffer.remaining();
    }
    try {
      long written = 0;
      while (written < total) {
        written += current.write(buffers);
      }
      currentBytes += total;
    } catch (IOException | RuntimeException e) {
      undoPartialAppend(start);
      throw new TierException("Cannot append to the MapDB log " + generations.lastEntry().getValue() + ": "
          + e.getMessage(), e);
    }
  }

  /** A failed write may have left part of its frame: cut it, so later entries do not follow garbage. */
  private void undoPartialAppend(long start) {
    try {
      current.truncate(start);
      current.position(start);
    } catch (IOException ignored) {
      // the torn frame sits at the end, where a replay cuts it off as a crash's last write
    }
  }

  /** Returns the bytes the log takes on disk, all generations together. */
  synchronized long bytes() {
    return olderBytes + currentBytes;
  }

  /**
   * Starts a new generation and returns its number; entries appended from now on go there. The caller then
   * writes the live records into it and calls {@link #dropBefore}.
   */
  synchronized long roll() {
    long next = generations.lastKey() + 1;
    Path file = generationFile(next);
    FileChannel channel = openChannel(file);
    closeQuietly(current);
    olderBytes += currentBytes;
    current = channel;
    currentBytes = 0;
    generations.put(next, file);
    return next;
  }

  /** Forces what was appended to the current generation, and the directory entry of a new one, to the disk. */
  synchronized void force() {
    try {
      if (current != null) {
        current.force(true);
      }
      io.tiercache.tier.DirectorySync.force(base.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new TierException("Cannot force the MapDB log of " + base + " to the disk: " + e, e);
    }
  }

  /** Deletes the generations before {@code generation}: everything they said is in it or a later one. */
  synchronized void dropBefore(long generation) {
    List<Long> dropped = new ArrayList<>(generations.headMap(generation).keySet());
    for (Long old : dropped) {
      try {
        Files.deleteIfExists(generations.get(old));
      } catch (IOException e) {
        throw new TierException("Cannot delete the MapDB log " + generations.get(old) + ": " + e, e);
      }
      generations.remove(old);
    }
    olderBytes = 0;
  }

  private Path generationFile(long generation) {
    return base.resolveSibling(base.getFileName() + ".log." + generation);
  }

  private static FileChannel openChannel(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.position(channel.size());
      io.tiercache.tier.FilePermissions.ownerOnly(file);
      return channel;
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot open the MapDB log " + file + ": " + e, e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // closing a channel we only appended to: nothing is lost
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly(current);
    current = null;
  }
}
