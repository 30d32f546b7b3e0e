package io.tiercache.encryption;

import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.SharedProtection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cache's data key file, kept apart from the cache's data (in {@code <cache directory>.keys} by default): a
 * random secret, wrapped by a master key of the keyring, from which each master key derives the key its records
 * are encrypted with; and, per master key that ever wrote records, a check value proving at the next open that
 * the keyring holds the same key. Deleting the file ({@link #destroy}) leaves every copy of the cache's data
 * unreadable, with or without the master keys.
 *
 * <pre>
 *   tiercache-data-key 1
 *   id 5f0c...                        ties the file to the store (the store's marker holds it too)
 *   secret k2 BASE64                  the secret, AES-GCM-wrapped by master key k2
 *   key 1 k1 BASE64                   records sealed with number 1 used master key k1; its check value
 *   key 2 k2 BASE64
 *   crc 1a2b3c4d                      CRC-32C of the lines above: damage is named as damage, not as a missing key
 * </pre>
 */
final class DataKeys {

  private static final String HEADER = "tiercache-data-key 1";

  final String id;
  private final byte[] secret;
  /** Record key numbers to master key ids. */
  final Map<Integer, String> numbers;
  private final Map<Integer, String> checks;
  /** Master key ids to the secret wrapped by that key: one in a file, one per writing key when shared. */
  private final Map<String, String> wraps;

  private DataKeys(String id, byte[] secret, Map<Integer, String> numbers, Map<Integer, String> checks,
      Map<String, String> wraps) {
    this.id = id;
    this.secret = secret;
    this.numbers = numbers;
    this.checks = checks;
    this.wraps = wraps;
  }

  /** Returns the file of a cache's data key in {@code directory}. */
  static Path file(Path directory, String cacheName) {
    return directory.resolve(io.tiercache.persistence.StoreNames.encode(cacheName) + ".key");
  }

  /**
   * Opens the data key of a cache, creating it when the store holds nothing encrypted yet, and brings the file
   * up to date with the keyring (the secret wrapped by the primary key, a record key number for it).
   *
   * @param storeId the id the store's marker names, or null when the store has no marker
   * @param storeHasRecords whether the store holds records (without a marker: plain ones from before)
   * @throws TierUnavailableException naming the key id that is missing or wrong, or the file that is gone
   */
  static DataKeys open(Path file, String cacheName, Keyring keyring, String storeId, boolean storeHasRecords) {
    if (!Files.exists(file)) {
      if (storeId != null && storeHasRecords) {
        throw Keyring.failure(cacheName, "its records are encrypted with a data key that is gone (" + file
            + " does not exist): the cache was destroyed, or encryption.data-keys names another directory. The"
            + " records cannot be read by anyone; delete the store to start empty.");
      }
      DataKeys fresh = create(cacheName, keyring);
      fresh.save(file);
      return fresh;
    }
    DataKeys stored = parse(readLines(file, cacheName), file.toString(), cacheName, cacheName, keyring, true);
    if (storeId != null && !storeId.equals(stored.id)) {
      if (storeHasRecords) {
        throw Keyring.failure(cacheName, "its store was encrypted with data key " + storeId + ", but " + file
            + " holds data key " + stored.id + " (a data-key directory of another installation?)");
      }
    }
    DataKeys current = stored.withPrimary(cacheName, keyring, false);
    if (current != stored) {
      current.save(file);
    }
    return current;
  }

  /**
   * Opens the data key a shared store keeps beside its records ({@link SharedProtection.Items#DATA_KEY}),
   * creating it when there is none, and adds the primary key to it. Every process sharing the store adds its
   * primary the same way, through compare-and-set, so none undoes another's; the secret stays wrapped by every
   * master key that writes, so a process holding any of them can open it. Record key numbers whose master key
   * this process lacks are kept for the others and skipped here: their records read as absent in this process.
   *
   * @param storeId the id the store's marker names, or null when the store has no marker yet
   * @param name the store, for messages
   */
  static DataKeys openShared(SharedProtection.Items items, String name, String cacheName, String binding,
      Keyring keyring, String storeId) {
    String source = "the data key kept in " + name;
    for (int attempt = 0; attempt < 100; attempt++) {
      byte[] stored = items.get(SharedProtection.Items.DATA_KEY);
      if (stored == null) {
        if (storeId != null) {
          throw Keyring.failure(cacheName, "its records in " + name + " are encrypted with a data key that is gone"
              + " (the cache was destroyed); they cannot be read by anyone. Clear the cache's keys in the server"
              + " to start empty.");
        }
        DataKeys fresh = create(binding, keyring);
        if (items.putIfAbsent(SharedProtection.Items.DATA_KEY, fresh.bytes())) {
          return fresh;
        }
        continue; // another process created it first: use theirs
      }
      DataKeys current = parse(lines(stored), source, cacheName, binding, keyring, false);
      if (storeId != null && !storeId.equals(current.id)) {
        throw Keyring.failure(cacheName, "its records in " + name + " name data key " + storeId + ", but " + source
            + " is data key " + current.id + " (damaged, or written by hand)");
      }
      DataKeys updated = current.withPrimary(binding, keyring, true);
      if (updated == current
          || items.replace(SharedProtection.Items.DATA_KEY, stored, updated.bytes())) {
        return updated;
      }
    }
    throw Keyring.failure(cacheName, source + " kept changing while this process tried to add its primary key");
  }

  /** Reads the shared data key again, for the record key numbers other processes added since. */
  static DataKeys reread(SharedProtection.Items items, String name, String cacheName, String binding,
      Keyring keyring) {
    byte[] stored = items.get(SharedProtection.Items.DATA_KEY);
    return stored == null ? null : parse(lines(stored), "the data key kept in " + name, cacheName, binding,
        keyring, false);
  }

  private static List<String> lines(byte[] stored) {
    return List.of(new String(stored, StandardCharsets.US_ASCII).split("\n"));
  }

  private byte[] bytes() {
    return text().getBytes(StandardCharsets.US_ASCII);
  }

  private static DataKeys create(String binding, Keyring keyring) {
    byte[] idBytes = new byte[8];
    Crypto.random(idBytes, 0, idBytes.length);
    byte[] secret = new byte[32];
    Crypto.random(secret, 0, secret.length);
    String id = HexFormat.of().formatHex(idBytes);
    String primary = keyring.primary();
    Map<Integer, String> numbers = new TreeMap<>(Map.of(1, primary));
    Map<Integer, String> checks = new TreeMap<>(Map.of(1, check(recordKey(keyring.key(primary), secret))));
    return new DataKeys(id, secret, numbers, checks,
        new TreeMap<>(Map.of(primary, wrap(binding, id, primary, keyring, secret))));
  }

  /** @param binding what the wrapped secret is bound to: the cache's name, or a shared store's namespace */
  private static String wrap(String binding, String id, String kekId, Keyring keyring, byte[] secret) {
    byte[] out = new byte[Crypto.NONCE_BYTES + secret.length + Crypto.TAG_BYTES];
    Crypto.seal(keyring.key(kekId), wrapAad(binding, id, kekId), secret, 0, secret.length, out, 0);
    return Base64.getEncoder().encodeToString(out);
  }

  private static byte[] wrapAad(String binding, String id, String kekId) {
    return Crypto.utf8("tiercache-data-key\0" + binding + "\0" + id + "\0" + kekId);
  }

  private static List<String> readLines(Path file, String cacheName) {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw Keyring.failure(cacheName, "its data key " + file + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Reads a data key and checks it against the keyring.
   *
   * @param source names where it was read, for messages
   * @param strict true to refuse one naming a master key the keyring lacks; false (a shared store, whose other
   *     processes may hold keys this one lacks) to need only one master key that unwraps the secret
   */
  private static DataKeys parse(List<String> lines, String source, String cacheName, String binding,
      Keyring keyring, boolean strict) {
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw Keyring.failure(cacheName, source + " is not a tiercache data key, or is damaged");
    }
    String last = lines.get(lines.size() - 1);
    if (!last.equals("crc " + crc(lines.subList(0, lines.size() - 1)))) {
      throw Keyring.failure(cacheName, source + " is damaged (its checksum does not match); without it the cache's"
          + " records cannot be read: restore it from where you keep its copies");
    }
    lines = lines.subList(0, lines.size() - 1);
    String id = null;
    Map<String, String> wraps = new TreeMap<>();
    Map<Integer, String> numbers = new TreeMap<>();
    Map<Integer, String> checks = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(" ");
      try {
        switch (parts[0]) {
          case "id" -> id = parts[1];
          case "secret" -> wraps.put(parts[1], parts[2]);
          case "key" -> {
            numbers.put(Integer.parseInt(parts[1]), parts[2]);
            checks.put(Integer.parseInt(parts[1]), parts[3]);
          }
          default -> { }
        }
      } catch (RuntimeException e) {
        throw Keyring.failure(cacheName, source + " is damaged: a line is malformed");
      }
    }
    if (id == null || wraps.isEmpty() || numbers.isEmpty()) {
      throw Keyring.failure(cacheName, source + " is incomplete (it lacks its id, secret or keys)");
    }
    byte[] secret = unwrap(wraps, source, cacheName, binding, id, keyring);
    for (Map.Entry<Integer, String> number : numbers.entrySet()) {
      String kekId = number.getValue();
      SecretKey key = keyring.key(kekId);
      if (key == null) {
        if (!strict) {
          continue; // another process's key: its records read as absent here
        }
        throw Keyring.failure(cacheName, "records were written with master key '" + kekId + "', which the keyring"
            + " lacks (it has: " + keyring.ids() + "; as " + source + " says); add it back to encryption.keys, at"
            + " least until 'tiercache rekey' has rewritten those records");
      }
      if (!check(recordKey(key, secret)).equals(checks.get(number.getKey()))) {
        throw Keyring.failure(cacheName, "master key '" + kekId + "' in the keyring is not the key records were"
            + " written with (a wrong key under that id), or " + source + " is damaged");
      }
    }
    return new DataKeys(id, secret, numbers, checks, wraps);
  }

  /** The secret, unwrapped by the first master key of the keyring that wrapped it. */
  private static byte[] unwrap(Map<String, String> wraps, String source, String cacheName, String binding,
      String id, Keyring keyring) {
    for (Map.Entry<String, String> wrap : wraps.entrySet()) {
      String wrappedBy = wrap.getKey();
      SecretKey kek = keyring.key(wrappedBy);
      if (kek == null) {
        continue;
      }
      byte[] sealedSecret;
      try {
        sealedSecret = Base64.getDecoder().decode(wrap.getValue());
      } catch (IllegalArgumentException e) {
        throw Keyring.failure(cacheName, source + " is damaged: its secret is not base64");
      }
      byte[] secret = Crypto.open(kek, wrapAad(binding, id, wrappedBy), sealedSecret, 0);
      if (secret == null) {
        throw Keyring.failure(cacheName, "master key '" + wrappedBy + "' in the keyring is not the key its data key"
            + " was wrapped with (a wrong key under that id), or " + source + " is damaged");
      }
      return secret;
    }
    String named = wraps.size() == 1 ? "master key '" + wraps.keySet().iterator().next() + "'"
        : "master keys " + wraps.keySet();
    throw Keyring.failure(cacheName, "its data key (" + source + ") is wrapped with " + named
        + ", which the keyring lacks (it has: " + keyring.ids() + "); add one of them to encryption.keys");
  }

  /**
   * The same data key, with the secret wrapped by the primary and a record key number for the primary.
   *
   * @param keepWraps true to keep the secret wrapped by the other keys too (shared by processes whose keyrings
   *     differ); false to keep only the primary's wrap
   */
  private DataKeys withPrimary(String binding, Keyring keyring, boolean keepWraps) {
    String primary = keyring.primary();
    boolean numbered = numbers.containsValue(primary);
    if (numbered && wraps.containsKey(primary) && (keepWraps || wraps.size() == 1)) {
      return this;
    }
    Map<Integer, String> newNumbers = new TreeMap<>(numbers);
    Map<Integer, String> newChecks = new TreeMap<>(checks);
    if (!numbered) {
      int next = newNumbers.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      if (next > 255) {
        throw Keyring.failure(binding, "its data key has numbered 255 master keys; run 'tiercache rekey'");
      }
      newNumbers.put(next, primary);
      newChecks.put(next, check(recordKey(keyring.key(primary), secret)));
    }
    Map<String, String> newWraps = keepWraps ? new TreeMap<>(wraps) : new TreeMap<>();
    newWraps.put(primary, wraps.containsKey(primary) ? wraps.get(primary)
        : wrap(binding, id, primary, keyring, secret));
    return new DataKeys(id, secret, newNumbers, newChecks, newWraps);
  }

  /** The same data key, listing only the record key numbers still in use (after a rekey). */
  DataKeys onlyNumbers(java.util.Set<Integer> used) {
    Map<Integer, String> newNumbers = new TreeMap<>(numbers);
    Map<Integer, String> newChecks = new TreeMap<>(checks);
    newNumbers.keySet().retainAll(used);
    newChecks.keySet().retainAll(used);
    return new DataKeys(id, secret, newNumbers, newChecks, wraps);
  }

  /** The number records are written with now: the primary's. */
  int primaryNumber(Keyring keyring) {
    for (Map.Entry<Integer, String> number : numbers.entrySet()) {
      if (number.getValue().equals(keyring.primary())) {
        return number.getKey();
      }
    }
    throw new IllegalStateException("no number for the primary key");
  }

  /** The AES key of records written under master key {@code kek}. */
  static SecretKey recordKey(SecretKey kek, byte[] secret) {
    return new SecretKeySpec(Crypto.hmac(kek.getEncoded(), Crypto.utf8("tiercache-record-key\0"), secret), "AES");
  }

  /** The key of the keyed hashes of keys: from the secret alone, so it survives master key rotation. */
  byte[] indexKey() {
    return Crypto.hmac(secret, Crypto.utf8("tiercache-index-key"));
  }

  private static String check(SecretKey recordKey) {
    return Base64.getEncoder().encodeToString(Crypto.hmac(recordKey.getEncoded(), Crypto.utf8("tiercache-check")));
  }

  byte[] secret() {
    return secret;
  }

  /** The data key as its file holds it, checksum line last. */
  private String text() {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("id ").append(id).append('\n');
    wraps.forEach((kekId, wrapped) -> text.append("secret ").append(kekId).append(' ').append(wrapped)
        .append('\n'));
    numbers.forEach((number, kekId) -> text.append("key ").append(number).append(' ').append(kekId).append(' ')
        .append(checks.get(number)).append('\n'));
    String checksum = crc(List.of(text.toString().split("\n"))); // before "crc " is appended to the text
    return text.append("crc ").append(checksum).append('\n').toString();
  }

  /** Writes the file whole or not at all, owner-only, forced to the disk. */
  void save(Path file) {
    String text = text();
    try {
      Path directory = file.toAbsolutePath().getParent();
      io.tiercache.persistence.StoreDirectory.createPrivateDirectories(directory);
      Path partial = Files.createTempFile(directory, file.getFileName().toString(), ".part",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      io.tiercache.tier.DirectorySync.force(directory);
    } catch (IOException | UnsupportedOperationException e) {
      throw new TierUnavailableException("Cannot write the data key " + file + ": " + e, e);
    }
  }

  /**
   * Destroys a cache's data key: overwritten, forced, deleted. Copies of the cache's data made before can no
   * longer be read, whatever master keys their holder has.
   *
   * @return true when there was one
   */
  static boolean destroy(Path file) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      long size = Files.size(file);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        byte[] noise = new byte[(int) Math.max(1, size)];
        Crypto.random(noise, 0, noise.length);
        channel.write(java.nio.ByteBuffer.wrap(noise), 0);
        channel.force(true);
      }
      Files.delete(file);
      io.tiercache.tier.DirectorySync.force(file.toAbsolutePath().getParent());
      return true;
    } catch (IOException e) {
      throw new TierUnavailableException("Cannot destroy the data key " + file + ": " + e, e);
    }
  }

  private static String crc(List<String> lines) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    for (String line : lines) {
      crc.update(line.getBytes(StandardCharsets.US_ASCII));
      crc.update('\n');
    }
    return Long.toHexString(crc.getValue());
  }

}
