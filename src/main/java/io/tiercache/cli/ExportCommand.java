package io.tiercache.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tiercache.persistence.StoreDirectory;
import io.tiercache.persistence.StoreScanner;
import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.serialized.RecordFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code export DIR CACHE}: a cache's entries as JSON lines ({@link ExportFormat}). */
@Command(name = "export", description = {"Writes the entries a tiercache directory holds for one cache as JSON"
    + " lines, to a file or standard output, for 'tiercache import' into another directory, machine or tier"
    + " layout. Values are carried in their stored form: no classes are needed to export.",
    "Reads a directory a running process holds too, as it is at that moment. The file is written whole or not"
        + " at all, readable by its owner only."})
final class ExportCommand extends DirectoryCommand implements Callable<Integer> {


  @Parameters(index = "1", paramLabel = "CACHE", description = "The cache to export.")
  String cache;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
  Path output;


  @Override
  public Integer call() throws IOException {
    Path dir = Directories.existing(directory);
    List<StoreScanner.Store> stores = StoreScanner.stores(dir).stream().filter(s -> s.cache().equals(cache))
        .toList();
    if (stores.isEmpty()) {
      throw new CliException(dir + " holds no disk store for cache '" + cache + "'; its caches: "
          + StoreScanner.stores(dir).stream().map(StoreScanner.Store::cache).distinct().toList());
    }
    String holder = StoreDirectory.holder(dir);
    Path registryFile = dir.resolve("kryo-classes.registry");
    // built-in types only: enough to show string and number keys, and never instantiates an application class
    Serializer keyReader = new KryoSerializer(ClassRegistry.readOnly(registryFile), ClassAllowlist.of(List.of()),
        () -> getClass().getClassLoader(), "export " + dir);
    // the entries go to a file of their own first: the header, written last, lists the classes the registry
    // has after the scan (a running process may register one meanwhile) and how many entries follow
    Path entries = Files.createTempFile(output == null ? null : output.toAbsolutePath().getParent(),
        ".tiercache-export", ".part");
    long[] counts = new long[2]; // entries, expired by now
    try {
      try (JsonGenerator json = jsonTo(Files.newOutputStream(entries));
          Progress progress = new Progress(err(), "exported")) {
        long now = System.currentTimeMillis();
        for (StoreScanner.Store store : stores) {
          StoreScanner.scan(store, false, (key, record) -> {
            if (java.util.Arrays.equals(key, io.tiercache.tier.serialized.ProtectedStore.MARKER_KEY)) {
              throw new CliException("cache '" + cache + "' is encrypted; the command line cannot read its keys, so"
                  + " it cannot export it (read it through the cache, or rekey it with its keyring)");
            }
            String damage = RecordFormat.damage(key, record);
            if (damage != null) {
              throw new CliException(store.label() + " holds a damaged record (" + damage + "); run 'tiercache"
                  + " verify " + dir + "'. Nothing damaged is exported");
            }
            // expired records are exported too: a newer copy that expired must still win over an older one
            long expireAt = RecordFormat.expireAt(record);
            counts[1] += expireAt <= now ? 1 : 0;
            entry(json, key, record, expireAt, store.tier(), keyReader);
            counts[0]++;
            progress.step();
          });
        }
      }
      ClassRegistry registry = ClassRegistry.readOnly(registryFile);
      if (output == null) {
        write(new NonClosing(System.out), stores, registry, counts[0], entries);
        if (System.out.checkError()) {
          throw new CliException("Writing the export to standard output failed (a closed pipe or a full disk)");
        }
      } else {
        Path partial = Files.createTempFile(output.toAbsolutePath().getParent(), ".tiercache-export", ".part");
        try {
          write(Files.newOutputStream(partial), stores, registry, counts[0], entries);
          Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    } finally {
      Files.deleteIfExists(entries);
    }
    err().println("Exported " + counts[0] + " entries of cache '" + cache + "' from " + dir
        + (counts[1] == 0 ? "" : " (" + counts[1] + " of them expired by now; import skips those)")
        + (holder == null ? "" : "; the directory is in use by " + holder + ": writes under way may be missing")
        + (output == null ? "" : " to " + output));
    return TierCacheCli.OK;
  }

  /** The header line, then the entry lines; the temporary files are created owner-only, like the data itself. */
  private void write(OutputStream sink, List<StoreScanner.Store> stores, ClassRegistry registry, long count,
      Path entries) throws IOException {
    try (OutputStream out = sink) {
      try (JsonGenerator json = jsonTo(new NonClosing(out))) {
        header(json, stores, registry, count);
      }
      out.write('\n');
      Files.copy(entries, out);
    }
  }

  private static JsonGenerator jsonTo(OutputStream out) throws IOException {
    JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    json.setRootValueSeparator(null); // each line ends with its own newline
    return json;
  }

  private void header(JsonGenerator json, List<StoreScanner.Store> stores, ClassRegistry registry, long count)
      throws IOException {
    json.writeStartObject();
    json.writeNumberField(ExportFormat.MARKER, ExportFormat.VERSION);
    json.writeStringField("cache", cache);
    json.writeStringField("directory", directory.toAbsolutePath().normalize().toString());
    json.writeNumberField("entries", count);
    json.writeStringField("exported-at", Instant.now().toString());
    json.writeArrayFieldStart("tiers");
    for (StoreScanner.Store store : stores) {
      json.writeString(store.tier());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("classes");
    for (Map.Entry<Integer, String[]> entry : registry.entries().entrySet()) {
      json.writeStartObject();
      json.writeNumberField("id", entry.getKey());
      json.writeStringField("name", entry.getValue()[0]);
      if (entry.getValue()[1] != null) {
        json.writeStringField("layout", entry.getValue()[1]);
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void entry(JsonGenerator json, byte[] key, byte[] record, long expireAt, String tier,
      Serializer keyReader) {
    try {
      int offset = RecordFormat.valueOffset(record);
      json.writeStartObject();
      json.writeStringField("key", Base64.getEncoder().encodeToString(key));
      json.writeFieldName("value");
      json.writeString(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(record, offset,
          record.length)));
      if (expireAt != Envelope.ETERNAL) {
        json.writeNumberField("expire-at", expireAt);
      }
      json.writeNumberField("sequence", RecordFormat.sequence(record));
      json.writeStringField("tier", tier);
      String text = keyText(key, keyReader);
      if (text != null) {
        json.writeStringField("key-text", text);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw new CliException("Cannot write the export: " + e.getMessage(), e);
    }
  }

  private static String keyText(byte[] key, Serializer keyReader) {
    try {
      Object decoded = keyReader.deserializeKey(key, 0, key.length);
      return decoded instanceof CharSequence || decoded instanceof Number || decoded instanceof UUID
          || decoded instanceof Character || decoded instanceof Boolean ? decoded.toString() : null;
    } catch (RuntimeException notBuiltIn) {
      return null; // an application class: carried in its stored form only
    }
  }

  /** Standard output stays open after the export: a caller may write more. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
