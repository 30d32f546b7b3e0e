package io.tiercache.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tiercache.tier.Envelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads a file in the {@link ExportFormat}, failing with the file and line of anything malformed. */
final class ExportReader {

  /** The first line. */
  record Header(String cache, List<String> tiers, Map<Integer, String[]> classes, long entries) { }

  /** An entry line. */
  record Entry(long line, byte[] key, byte[] value, long expireAt, long sequence) { }

  private final Path file;
  private final JsonFactory factory = new JsonFactory();

  ExportReader(Path file) {
    if (!Files.isReadable(file)) {
      throw new CliException(file + " is not a readable file");
    }
    this.file = file;
  }

  Header header() {
    try (JsonParser json = factory.createParser(file.toFile())) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(json, "it does not start with a JSON object");
      }
      String cache = null;
      Integer version = null;
      List<String> tiers = new ArrayList<>();
      Map<Integer, String[]> classes = new HashMap<>();
      long entries = -1;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case ExportFormat.MARKER -> version = json.getIntValue();
          case "cache" -> cache = json.getText();
          case "entries" -> entries = json.getLongValue();
          case "tiers" -> {
            if (json.currentToken() != JsonToken.START_ARRAY) {
              throw malformed(json, "\"tiers\" is not an array");
            }
            while (json.nextToken() == JsonToken.VALUE_STRING) {
              tiers.add(json.getText());
            }
          }
          case "classes" -> {
            if (json.currentToken() != JsonToken.START_ARRAY) {
              throw malformed(json, "\"classes\" is not an array");
            }
            while (json.nextToken() == JsonToken.START_OBJECT) {
              Integer id = null;
              String name = null;
              String layout = null;
              while (json.nextToken() == JsonToken.FIELD_NAME) {
                String member = json.currentName();
                json.nextToken();
                switch (member) {
                  case "id" -> id = json.getIntValue();
                  case "name" -> name = json.getText();
                  case "layout" -> layout = json.getText();
                  default -> json.skipChildren();
                }
              }
              if (id == null || name == null) {
                throw malformed(json, "a class in its header lacks an id or a name");
              }
              classes.put(id, new String[] {name, layout});
            }
          }
          default -> json.skipChildren();
        }
      }
      if (version == null) {
        throw new CliException(file + " is not a tiercache export (its first line has no \"" + ExportFormat.MARKER
            + "\")");
      }
      if (version != ExportFormat.VERSION) {
        throw new CliException(file + " is a tiercache export of format " + version + "; this version reads"
            + " format " + ExportFormat.VERSION);
      }
      if (entries < 0) {
        throw new CliException(file + " does not say how many entries it holds (its first line lacks \"entries\")");
      }
      return new Header(cache, tiers, classes, entries);
    } catch (IOException e) {
      throw new CliException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Visits every entry line, in order, after checking that the file holds as many as its header says: a file
   * cut short (a full disk, a copy interrupted) is refused before anything is read from it.
   */
  void entries(long expected, Consumer<Entry> visitor) {
    long[] found = new long[1];
    read(entry -> found[0]++);
    if (found[0] != expected) {
      throw new CliException(file + " holds " + found[0] + " entries but its header says " + expected
          + ": it is incomplete (cut short, or edited); nothing was imported");
    }
    read(visitor);
  }

  /** Visits every entry line, in order, without the count check (after {@link #entries} made it). */
  void read(Consumer<Entry> visitor) {
    try (JsonParser json = factory.createParser(file.toFile())) {
      json.nextToken();
      json.skipChildren(); // the header
      JsonToken token;
      while ((token = json.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          throw malformed(json, "an entry is not a JSON object");
        }
        long line = json.currentTokenLocation().getLineNr();
        byte[] key = null;
        byte[] value = null;
        long expireAt = Envelope.ETERNAL;
        long sequence = 0;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          json.nextToken();
          try {
            switch (field) {
              case "key" -> key = Base64.getDecoder().decode(json.getText());
              case "value" -> value = Base64.getDecoder().decode(json.getText());
              case "expire-at" -> expireAt = json.getLongValue();
              case "sequence" -> sequence = json.getLongValue();
              default -> json.skipChildren();
            }
          } catch (IllegalArgumentException e) {
            throw malformed(json, "its \"" + field + "\" is not base64");
          }
        }
        if (key == null || value == null) {
          throw malformed(json, "an entry lacks its key or value");
        }
        visitor.accept(new Entry(line, key, value, expireAt, sequence));
      }
    } catch (IOException e) {
      throw new CliException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private CliException malformed(JsonParser json, String problem) {
    return new CliException(file + " line " + json.currentLocation().getLineNr() + " is malformed: " + problem);
  }
}
