package io.tiercache.serialization;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serializer's persistent state: which small integer stands for which class, in which layout, in the
 * stored bytes. An id stands for one class name and one {@link ClassFingerprint layout}: when a class changes
 * its fields it gets a new id, so records written field by field before the change are recognised as such.
 * Ids are assigned the first time a class (or a layout of it) is written and appended, and forced to disk, to
 * a registry file beside the data before any record uses them, so a restarted process reads old records with
 * the same ids.
 *
 * <p>Ids are never reused for another class: the highest id ever handed out is also kept in a file of its own
 * ({@code <registry>.high-water}), so a registry that was emptied or lost starts above every id that records
 * may still carry. Those records then name ids the registry does not list, and are dropped as undecodable
 * rather than read as some other class.
 *
 * <p>The file is trusted no more than the data: a name read from it is only loaded if the allowlist accepts
 * it. File format: one {@code id<TAB>class name<TAB>fingerprint<TAB>checksum} per line, UTF-8, the checksum a
 * CRC-32C of the rest; lines of older versions have neither fingerprint nor checksum.
 */
public final class ClassRegistry {

  /** Ids below this are Kryo's own built-in registrations. */
  static final int FIRST_ID = 64;

  private final Path file;          // null for a registry that lives in memory only
  private final Shared shared;      // non-null for a registry kept by a server that several processes share
  private boolean readOnly;         // loaded for reading: never written, new classes refused
  private final Map<String, Integer> idsByLayout = new HashMap<>(); // "name<TAB>fingerprint" -> id
  private final Map<String, Integer> latestIdByName = new HashMap<>();
  private final Map<Integer, String> namesById = new HashMap<>();
  private final Map<Integer, String> fingerprintsById = new HashMap<>();
  private int nextId = FIRST_ID;

  private ClassRegistry(Path file) {
    this(file, null);
  }

  private ClassRegistry(Path file, Shared shared) {
    this.file = file;
    this.shared = shared;
  }

  /**
   * Where a registry shared by several processes keeps its ids (the Redis tier keeps them on the server):
   * every process must read an id as the same class, so ids are claimed there, atomically, never locally.
   */
  public interface Shared {

    /**
     * Returns the id of a class name in a layout, claiming the next free one (at least {@code firstId}) if no
     * process claimed one before; two processes asking at once get the same id.
     */
    int claim(String className, String fingerprint, int firstId);

    /** Returns {class name, fingerprint} of an id some process claimed, or null when none did. */
    String[] lookup(int id);
  }

  /** Returns a registry whose ids live in {@code shared}; this object only remembers those it has seen. */
  public static ClassRegistry shared(Shared shared) {
    return new ClassRegistry(null, java.util.Objects.requireNonNull(shared, "shared"));
  }

  /** Returns a registry kept in memory only, for stores that do not outlive the process. */
  public static ClassRegistry inMemory() {
    return new ClassRegistry(null);
  }

  /**
   * Opens (or creates) the registry file at {@code file}.
   *
   * @throws SerializationException if the file exists but is malformed, naming the file and line
   */
  public static ClassRegistry open(Path file) {
    ClassRegistry registry = new ClassRegistry(file);
    if (Files.exists(file)) {
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(List.of(content.split("\n", -1)));
        String tail = lines.remove(lines.size() - 1); // after the last newline: empty, or torn by a crash
        for (int i = 0; i < lines.size(); i++) {
          registry.load(lines.get(i), file, i + 1);
        }
        if (!tail.isEmpty()) {
          // an append interrupted by a crash: its id was never handed out, so the line is dropped
          LoggerHolder.LOG.warn("Class registry {} ends with an unterminated line '{}' (a crash while appending);"
              + " dropping it", file, tail.replace('\0', ' ').trim());
          byte[] kept = content.substring(0, content.length() - tail.length()).getBytes(StandardCharsets.UTF_8);
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(kept.length);
            channel.force(true);
          }
        }
      } catch (IOException e) {
        throw new SerializationException("Cannot read the class registry " + file + ": " + e, e);
      }
    }
    int highWater = registry.readHighWater();
    if (highWater >= registry.nextId) {
      // a line is forced to disk before the high-water mark is raised past it: the mark beyond the last line
      // means lines were lost, and records naming those ids could not be read
      throw new SerializationException("Class registry " + file + " lists class ids below " + registry.nextId
          + ", but ids up to " + highWater + " were handed out: lines are missing (the file was truncated or"
          + " replaced). Restore it from a backup, or delete the directory to start empty; if instead "
          + registry.highWaterFile().getFileName() + " itself is damaged and the registry whole, delete that file.",
          null);
    }
    registry.nextId = Math.max(registry.nextId, highWater + 1);
    return registry;
  }

  /**
   * Loads the registry at {@code file} for reading only: nothing is written, not even the repair of a line torn
   * by a crash (which may be another process's append in progress: it is ignored), and a class it does not
   * list cannot be registered. For tools that read a directory another process may hold.
   *
   * @throws SerializationException if a line is malformed or damaged, naming the file and line
   */
  public static ClassRegistry readOnly(Path file) {
    ClassRegistry registry = new ClassRegistry(file);
    registry.readOnly = true;
    if (Files.exists(file)) {
      try {
        List<String> lines = new java.util.ArrayList<>(List.of(Files.readString(file, StandardCharsets.UTF_8)
            .split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline: empty, or an append not finished yet
        for (int i = 0; i < lines.size(); i++) {
          registry.load(lines.get(i), file, i + 1);
        }
      } catch (IOException e) {
        throw new SerializationException("Cannot read the class registry " + file + ": " + e, e);
      }
    }
    return registry;
  }

  /** Returns every registration, by id: {class name, fingerprint (null for a line from before fingerprints)}. */
  public synchronized java.util.SortedMap<Integer, String[]> entries() {
    java.util.SortedMap<Integer, String[]> all = new java.util.TreeMap<>();
    namesById.forEach((id, name) -> all.put(id, new String[] {name, fingerprintsById.get(id)}));
    return all;
  }

  private static final class LoggerHolder {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClassRegistry.class);
  }

  private void load(String line, Path source, int lineNumber) {
    if (line.isBlank()) {
      return;
    }
    String[] parts = line.split("\t");
    if (parts.length == 4 && !parts[3].equals(lineChecksum(parts[0], parts[1], parts[2]))) {
      throw new SerializationException("Class registry " + source + " line " + lineNumber + " is damaged (its"
          + " checksum does not match): '" + line + "'. The records of this directory cannot be read safely"
          + " without it; restore the file from a backup, or delete the directory to start empty.", null);
    }
    try {
      if (parts.length != 2 && parts.length != 4) { // an older line, or one with fingerprint and checksum
        throw new IllegalArgumentException("not id, name, fingerprint and checksum");
      }
      int id = Integer.parseInt(parts[0]);
      String name = parts[1].trim();
      String fingerprint = parts.length >= 3 ? parts[2].trim() : null;
      if (id < FIRST_ID || name.isEmpty()) {
        throw new IllegalArgumentException("bad entry");
      }
      namesById.put(id, name);
      if (fingerprint != null) {
        fingerprintsById.put(id, fingerprint);
        idsByLayout.put(name + "\t" + fingerprint, id);
      }
      latestIdByName.put(name, id);
      nextId = Math.max(nextId, id + 1);
    } catch (RuntimeException e) {
      throw new SerializationException("Class registry " + source + " line " + lineNumber
          + " is not 'id<TAB>class name<TAB>fingerprint': '" + line + "'", e);
    }
  }

  /** Returns the id of {@code className} in the layout {@code fingerprint}, assigning and persisting one if new. */
  public synchronized int idOf(String className, String fingerprint) {
    Integer id = idsByLayout.get(className + "\t" + fingerprint);
    if (id != null) {
      return id;
    }
    if (readOnly) {
      throw new SerializationException("Class registry " + file + " is open for reading only and does not list "
          + className + " in this layout", null);
    }
    if (shared != null) {
      int claimed = shared.claim(className, fingerprint, FIRST_ID);
      remember(claimed, className, fingerprint);
      return claimed;
    }
    Integer legacy = latestIdByName.get(className);
    if (legacy != null && fingerprintsById.get(legacy) == null) {
      // a line from before fingerprints: its layout is unknown, so this one is taken to be it from now on
      fingerprintsById.put(legacy, fingerprint);
      idsByLayout.put(className + "\t" + fingerprint, legacy);
      persist(legacy, className, fingerprint);
      return legacy;
    }
    int assigned = nextId++;
    persist(assigned, className, fingerprint);
    writeHighWater(assigned);
    idsByLayout.put(className + "\t" + fingerprint, assigned);
    latestIdByName.put(className, assigned);
    namesById.put(assigned, className);
    fingerprintsById.put(assigned, fingerprint);
    return assigned;
  }

  /** Returns the class name an id stands for, or null when the registry has no such id. */
  public synchronized String nameOf(int id) {
    String name = namesById.get(id);
    if (name == null && readOnly && file != null) {
      // a process holding the directory may have registered the class since this copy was read
      ClassRegistry fresh = readOnly(file);
      fresh.namesById.forEach((known, className) -> remember(known, className, fresh.fingerprintsById.get(known)));
      name = namesById.get(id);
    }
    if (name == null && shared != null) {
      String[] found = shared.lookup(id); // claimed by another process since this one last looked
      if (found != null) {
        remember(id, found[0], found[1]);
        name = found[0];
      }
    }
    return name;
  }

  /** Returns the layout an id stands for, or null when unknown (an id from before fingerprints). */
  public synchronized String fingerprintOf(int id) {
    if (!namesById.containsKey(id)) {
      nameOf(id);
    }
    return fingerprintsById.get(id);
  }

  private void remember(int id, String className, String fingerprint) {
    idsByLayout.put(className + "\t" + fingerprint, id);
    namesById.put(id, className);
    fingerprintsById.put(id, fingerprint);
    Integer latest = latestIdByName.get(className);
    if (latest == null || latest < id) {
      latestIdByName.put(className, id);
    }
  }

  private Path highWaterFile() {
    return file.resolveSibling(file.getFileName() + ".high-water");
  }

  private int readHighWater() {
    if (file == null || !Files.exists(highWaterFile())) {
      return FIRST_ID - 1;
    }
    try {
      return Integer.parseInt(Files.readString(highWaterFile(), StandardCharsets.UTF_8).trim());
    } catch (IOException | NumberFormatException e) {
      throw new SerializationException("Cannot read " + highWaterFile() + " (the highest class id ever handed"
          + " out, so that ids are never reused): " + e + ". If only this file is damaged and " + file
          + " is whole, delete it: ids then continue above the registry's.", e);
    }
  }

  private void writeHighWater(int id) {
    if (file == null) {
      return;
    }
    Path temporary = highWaterFile().resolveSibling(highWaterFile().getFileName() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      ownerOnly(temporary);
      Files.move(temporary, highWaterFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new SerializationException("Cannot record class id " + id + " in " + highWaterFile() + ": " + e, e);
    }
  }

  /** The checksum that ends a line, over its other fields: a damaged line is refused, not misread. */
  private static String lineChecksum(String id, String name, String fingerprint) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update((id + "\t" + name + "\t" + fingerprint).getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  /** Registry files are the owner's only (0600), like everything tiercache writes. */
  private static void ownerOnly(Path path) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
  }

  private void persist(int id, String className, String fingerprint) {
    if (file == null) {
      return;
    }
    byte[] line = (id + "\t" + className + "\t" + fingerprint + "\t"
        + lineChecksum(String.valueOf(id), className, fingerprint) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
      ownerOnly(file);
    } catch (IOException e) {
      throw new SerializationException("Cannot append " + className + " to the class registry " + file
          + ": " + e, e);
    }
  }
}
