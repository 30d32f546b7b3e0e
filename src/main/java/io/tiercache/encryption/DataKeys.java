package io.tiercache.encryption;

import io.tiercache.tier.TierUnavailableException;
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
  private final String wrappedBy;
  private final String wrapped;

  private DataKeys(String id, byte[] secret, Map<Integer, String> numbers, Map<Integer, String> checks,
      String wrappedBy, String wrapped) {
    this.id = id;
    this.secret = secret;
    this.numbers = numbers;
    this.checks = checks;
    this.wrappedBy = wrappedBy;
    this.wrapped = wrapped;
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
    DataKeys stored = read(file, cacheName, keyring);
    if (storeId != null && !storeId.equals(stored.id)) {
      if (storeHasRecords) {
        throw Keyring.failure(cacheName, "its store was encrypted with data key " + storeId + ", but " + file
            + " holds data key " + stored.id + " (a data-key directory of another installation?)");
      }
    }
    DataKeys current = stored.withPrimary(cacheName, keyring);
    if (current != stored) {
      current.save(file);
    }
    return current;
  }

  private static DataKeys create(String cacheName, Keyring keyring) {
    byte[] idBytes = new byte[8];
    Crypto.random(idBytes, 0, idBytes.length);
    byte[] secret = new byte[32];
    Crypto.random(secret, 0, secret.length);
    String id = HexFormat.of().formatHex(idBytes);
    String primary = keyring.primary();
    Map<Integer, String> numbers = new TreeMap<>(Map.of(1, primary));
    Map<Integer, String> checks = new TreeMap<>(Map.of(1, check(recordKey(keyring.key(primary), secret))));
    return new DataKeys(id, secret, numbers, checks, primary, wrap(cacheName, id, primary, keyring, secret));
  }

  private static String wrap(String cacheName, String id, String kekId, Keyring keyring, byte[] secret) {
    byte[] out = new byte[Crypto.NONCE_BYTES + secret.length + Crypto.TAG_BYTES];
    Crypto.seal(keyring.key(kekId), wrapAad(cacheName, id, kekId), secret, 0, secret.length, out, 0);
    return Base64.getEncoder().encodeToString(out);
  }

  private static byte[] wrapAad(String cacheName, String id, String kekId) {
    return Crypto.utf8("tiercache-data-key\0" + cacheName + "\0" + id + "\0" + kekId);
  }

  private static DataKeys read(Path file, String cacheName, Keyring keyring) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw Keyring.failure(cacheName, "its data key " + file + " cannot be read: " + e.getMessage());
    }
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw Keyring.failure(cacheName, file + " is not a tiercache data key file, or is damaged");
    }
    String last = lines.get(lines.size() - 1);
    if (!last.equals("crc " + crc(lines.subList(0, lines.size() - 1)))) {
      throw Keyring.failure(cacheName, file + " is damaged (its checksum does not match); without it the cache's"
          + " records cannot be read: restore the file from where you keep its copies");
    }
    lines = lines.subList(0, lines.size() - 1);
    String id = null;
    String wrappedBy = null;
    String wrapped = null;
    Map<Integer, String> numbers = new TreeMap<>();
    Map<Integer, String> checks = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(" ");
      try {
        switch (parts[0]) {
          case "id" -> id = parts[1];
          case "secret" -> {
            wrappedBy = parts[1];
            wrapped = parts[2];
          }
          case "key" -> {
            numbers.put(Integer.parseInt(parts[1]), parts[2]);
            checks.put(Integer.parseInt(parts[1]), parts[3]);
          }
          default -> { }
        }
      } catch (RuntimeException e) {
        throw Keyring.failure(cacheName, file + " is damaged: a line is malformed");
      }
    }
    if (id == null || wrapped == null || numbers.isEmpty()) {
      throw Keyring.failure(cacheName, file + " is incomplete (it lacks its id, secret or keys)");
    }
    SecretKey kek = keyring.key(wrappedBy);
    if (kek == null) {
      throw Keyring.failure(cacheName, "its data key (" + file + ") is wrapped with master key '" + wrappedBy
          + "', which the keyring lacks (it has: " + keyring.ids() + "); add that key to encryption.keys");
    }
    byte[] sealedSecret;
    try {
      sealedSecret = Base64.getDecoder().decode(wrapped);
    } catch (IllegalArgumentException e) {
      throw Keyring.failure(cacheName, file + " is damaged: its secret is not base64");
    }
    byte[] secret = Crypto.open(kek, wrapAad(cacheName, id, wrappedBy), sealedSecret, 0);
    if (secret == null) {
      throw Keyring.failure(cacheName, "master key '" + wrappedBy + "' in the keyring is not the key its data key"
          + " was wrapped with (a wrong key under that id), or " + file + " is damaged");
    }
    for (Map.Entry<Integer, String> number : numbers.entrySet()) {
      String kekId = number.getValue();
      SecretKey key = keyring.key(kekId);
      if (key == null) {
        throw Keyring.failure(cacheName, "records were written with master key '" + kekId + "', which the keyring"
            + " lacks (it has: " + keyring.ids() + "; as " + file + " says); add it back to encryption.keys, at"
            + " least until 'tiercache rekey' has rewritten those records");
      }
      if (!check(recordKey(key, secret)).equals(checks.get(number.getKey()))) {
        throw Keyring.failure(cacheName, "master key '" + kekId + "' in the keyring is not the key records were"
            + " written with (a wrong key under that id), or " + file + " is damaged");
      }
    }
    return new DataKeys(id, secret, numbers, checks, wrappedBy, wrapped);
  }

  /** The same data key, with the secret wrapped by the primary and a record key number for the primary. */
  private DataKeys withPrimary(String cacheName, Keyring keyring) {
    String primary = keyring.primary();
    boolean numbered = numbers.containsValue(primary);
    if (numbered && wrappedBy.equals(primary)) {
      return this;
    }
    Map<Integer, String> newNumbers = new TreeMap<>(numbers);
    Map<Integer, String> newChecks = new TreeMap<>(checks);
    if (!numbered) {
      int next = newNumbers.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      if (next > 255) {
        throw Keyring.failure(cacheName, "its data key has numbered 255 master keys; run 'tiercache rekey'");
      }
      newNumbers.put(next, primary);
      newChecks.put(next, check(recordKey(keyring.key(primary), secret)));
    }
    return new DataKeys(id, secret, newNumbers, newChecks, primary, wrap(cacheName, id, primary, keyring, secret));
  }

  /** The same data key, listing only the record key numbers still in use (after a rekey). */
  DataKeys onlyNumbers(java.util.Set<Integer> used) {
    Map<Integer, String> newNumbers = new TreeMap<>(numbers);
    Map<Integer, String> newChecks = new TreeMap<>(checks);
    newNumbers.keySet().retainAll(used);
    newChecks.keySet().retainAll(used);
    return new DataKeys(id, secret, newNumbers, newChecks, wrappedBy, wrapped);
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

  /** Writes the file whole or not at all, owner-only, forced to the disk. */
  void save(Path file) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("id ").append(id).append('\n');
    text.append("secret ").append(wrappedBy).append(' ').append(wrapped).append('\n');
    numbers.forEach((number, kekId) -> text.append("key ").append(number).append(' ').append(kekId).append(' ')
        .append(checks.get(number)).append('\n'));
    String checksum = crc(List.of(text.toString().split("\n"))); // before "crc " is appended to the text
    text.append("crc ").append(checksum).append('\n');
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
