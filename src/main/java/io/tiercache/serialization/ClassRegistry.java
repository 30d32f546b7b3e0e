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
 * The serializer's persistent state: which small integer stands for which class in the stored bytes. Ids
 * are assigned the first time a class is written and appended, and forced to disk, to a registry file beside
 * the data before any record uses them, so a restarted process reads old records with the same ids.
 *
 * <p>The file is trusted no more than the data: a name read from it is only loaded if the allowlist accepts
 * it. File format: one {@code id<TAB>class name} per line, UTF-8.
 */
public final class ClassRegistry {

  /** Ids below this are Kryo's own built-in registrations. */
  static final int FIRST_ID = 64;

  private final Path file;          // null for a registry that lives in memory only
  private final Map<String, Integer> idsByName = new HashMap<>();
  private final Map<Integer, String> namesById = new HashMap<>();
  private int nextId = FIRST_ID;

  private ClassRegistry(Path file) {
    this.file = file;
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
    return registry;
  }

  private static final class LoggerHolder {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClassRegistry.class);
  }

  private void load(String line, Path source, int lineNumber) {
    if (line.isBlank()) {
      return;
    }
    int tab = line.indexOf('\t');
    try {
      if (tab < 0) {
        throw new IllegalArgumentException("no tab");
      }
      int id = Integer.parseInt(line.substring(0, tab));
      String name = line.substring(tab + 1).trim();
      if (id < FIRST_ID || name.isEmpty()) {
        throw new IllegalArgumentException("bad entry");
      }
      idsByName.put(name, id);
      namesById.put(id, name);
      nextId = Math.max(nextId, id + 1);
    } catch (RuntimeException e) {
      throw new SerializationException("Class registry " + source + " line " + lineNumber
          + " is not 'id<TAB>class name': '" + line + "'", e);
    }
  }

  /** Returns the id of {@code className}, assigning and persisting a new one if it has none. */
  public synchronized int idOf(String className) {
    Integer id = idsByName.get(className);
    if (id != null) {
      return id;
    }
    int assigned = nextId++;
    persist(assigned, className);
    idsByName.put(className, assigned);
    namesById.put(assigned, className);
    return assigned;
  }

  /** Returns the class name an id stands for, or null when the registry has no such id. */
  public synchronized String nameOf(int id) {
    return namesById.get(id);
  }

  private void persist(int id, String className) {
    if (file == null) {
      return;
    }
    byte[] line = (id + "\t" + className + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new SerializationException("Cannot append " + className + " to the class registry " + file
          + ": " + e, e);
    }
  }
}
