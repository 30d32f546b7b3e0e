package io.tiercache.encryption;

import io.tiercache.tier.serialized.ByteStore;
import io.tiercache.tier.serialized.ProtectedStore;
import io.tiercache.tier.serialized.RecordProtection;
import io.tiercache.tier.serialized.SharedProtection;
import io.tiercache.tier.serialized.StoreProtection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * The encryption of one cache's disk stores: opens its keyring and data key when a store opens, and wraps the
 * store so that only sealed records reach the disk. A store keeps a marker saying which data key sealed it,
 * whether its keys are hashed, and whether it may still hold plain records (written before encryption was
 * turned on, read until rewritten or re-keyed; a store encrypted from the start refuses plain records, so none
 * can be slipped in).
 */
public final class CacheEncryption implements StoreProtection, SharedProtection {

  /** In the cache directory: where each cache's data key lives (no key material), so destroyCache finds it. */
  private static final String LOCATIONS = "data-key-locations";

  private final EncryptionSettings settings;
  private final String cacheName;
  private final String binding;
  private final Path dataKeyFile;
  private final Path cacheDirectory;

  /**
   * @param cacheDirectory the cache manager's directory; the data keys live beside it unless configured (null
   *     for a cache whose only store is shared, and keeps its data key itself)
   */
  public CacheEncryption(EncryptionSettings settings, String cacheName, Path cacheDirectory) {
    this(settings, cacheName, cacheDirectory, cacheName);
  }

  /**
   * @param binding what records and the data key are bound to (their associated data): the cache's name, or for
   *     a shared store its namespace, which every process sharing it names alike whatever it calls the cache
   */
  private CacheEncryption(EncryptionSettings settings, String cacheName, Path cacheDirectory, String binding) {
    this.settings = settings;
    this.cacheName = cacheName;
    this.binding = binding;
    this.cacheDirectory = cacheDirectory;
    Path keys = !settings.dataKeys().isEmpty() ? Path.of(settings.dataKeys())
        : cacheDirectory == null ? null // a shared store's: its data key lives in the store
        : cacheDirectory.toAbsolutePath().resolveSibling(cacheDirectory.getFileName() + ".keys");
    this.dataKeyFile = keys == null ? null : DataKeys.file(keys, cacheName);
  }

  /** Returns the protection of a cache's stores: encryption when its settings enable it, else none. */
  public static StoreProtection of(EncryptionSettings settings, String cacheName, Path cacheDirectory) {
    return settings.enabled() ? new CacheEncryption(settings, cacheName, cacheDirectory) : StoreProtection.NONE;
  }

  /**
   * Returns the protection of a cache's shared store (Redis), which keeps its data key in the store itself:
   * encryption when the settings enable it, else none.
   */
  public static SharedProtection sharedOf(EncryptionSettings settings, String cacheName, String namespace) {
    return settings.enabled() ? new CacheEncryption(settings, cacheName, null, "shared\0" + namespace)
        : SharedProtection.NONE;
  }

  /**
   * Opens the encryption of a shared store: its marker and data key are kept in the store, created by the first
   * process to open it encrypted, so every process holding a master key that wrapped the data key reads the
   * same records. A store that already holds plain records is refused rather than converted: processes that
   * still write plain records into it would be undetectable.
   */
  @Override
  public RecordProtection protect(SharedProtection.Items items, String name) {
    Marker marker = Marker.parse(items.get(SharedProtection.Items.MARKER));
    if (marker == null && items.hasRecords()) {
      throw Keyring.failure(cacheName, name + " holds records but no encryption marker: records written without"
          + " encryption, which a shared store cannot convert in place, or records of a cache destroyed since"
          + " (whose data key is gone); clear them (cache.clear() in a process without encryption) or give the"
          + " cache another redis.namespace");
    }
    if (marker != null && marker.hashedKeys != settings.hashKeys()) {
      throw Keyring.failure(cacheName, name + " is shared with encryption.hash-keys = " + marker.hashedKeys
          + "; every process sharing it must use the same");
    }
    Keyring keyring = Keyring.load(settings, cacheName);
    DataKeys keys = DataKeys.openShared(items, name, cacheName, binding, keyring,
        marker == null ? null : marker.id);
    Marker current = new Marker(keys.id, settings.hashKeys(), false);
    if (marker == null && !items.putIfAbsent(SharedProtection.Items.MARKER, current.bytes())) {
      Marker other = Marker.parse(items.get(SharedProtection.Items.MARKER));
      if (!current.equals(other)) {
        throw Keyring.failure(cacheName, name + " was set up at the same moment by another process with other"
            + " encryption settings (" + other + "); every process sharing it must use the same");
      }
    }
    return new RecordCipher(binding, keys, keyring, settings.hashKeys(), false, current.bytes(),
        () -> DataKeys.reread(items, name, cacheName, binding, keyring));
  }

  /**
   * Destroys the data key a shared store keeps (crypto-shredding), and its marker, so the store starts afresh.
   * Copies of the records made before (a snapshot of the server) can no longer be read; copies of the data
   * key itself the server kept (its own snapshots and append-only file) are beyond reach: see the README.
   *
   * @return true when there was one
   */
  @Override
  public boolean destroy(SharedProtection.Items items) {
    boolean destroyed = items.delete(SharedProtection.Items.DATA_KEY);
    items.delete(SharedProtection.Items.MARKER);
    return destroyed;
  }

  @Override
  public ByteStore protect(ByteStore store, String name) {
    return open(store, name).store;
  }

  /** A store wrapped, with the data key it was opened with. */
  private record Opened(ProtectedStore store, DataKeys keys) { }

  private Opened open(ByteStore store, String name) {
    Marker marker = Marker.parse(store.get(ProtectedStore.MARKER_KEY));
    boolean hasRecords = hasRecords(store);
    if (marker != null && hasRecords && marker.hashedKeys != settings.hashKeys()) {
      throw Keyring.failure(cacheName, name + " was written with encryption.hash-keys = " + marker.hashedKeys
          + "; a store cannot change it (export and import the cache to do so)");
    }
    if (marker == null && hasRecords && settings.hashKeys()) {
      throw Keyring.failure(cacheName, name + " holds plain records under plain keys; encryption.hash-keys needs"
          + " a store written with it (export the cache, delete the store, import it again)");
    }
    Keyring keyring = Keyring.load(settings, cacheName);
    DataKeys keys = DataKeys.open(dataKeyFile, cacheName, keyring, marker == null ? null : marker.id, hasRecords);
    recordLocation();
    boolean mixed = marker == null ? hasRecords : marker.mixed && hasRecords;
    Marker current = new Marker(keys.id, settings.hashKeys(), mixed);
    return new Opened(ProtectedStore.wrap(store, new RecordCipher(cacheName, keys, keyring, settings.hashKeys(),
        mixed, current.bytes(), null)), keys);
  }

  /**
   * Re-keys a store of the cache that nobody else uses: every record sealed with an older master key, or not
   * sealed at all, is sealed with the primary; the store then refuses plain records. Call
   * {@link #forgetOldKeys} once every store of the cache is done.
   *
   * @return how many records were sealed again
   */
  public long rekey(ByteStore store, String name) {
    Opened opened = open(store, name);
    return opened.store.resealAll(new Marker(opened.keys.id, settings.hashKeys(), false).bytes());
  }

  /**
   * After {@link #rekey} of every store of the cache: the data key forgets every master key but the primary,
   * which from now on is the only one the cache needs.
   */
  public void forgetOldKeys() {
    Keyring keyring = Keyring.load(settings, cacheName);
    DataKeys keys = DataKeys.open(dataKeyFile, cacheName, keyring, null, false);
    keys.onlyNumbers(java.util.Set.of(keys.primaryNumber(keyring))).save(dataKeyFile);
  }

  /**
   * Destroys the cache's data key (crypto-shredding), where these settings put it and wherever the cache
   * directory says it was kept; true when there was one.
   */
  public boolean destroyDataKey() {
    boolean destroyed = DataKeys.destroy(dataKeyFile);
    String encoded = io.tiercache.persistence.StoreNames.encode(cacheName);
    for (String line : locations()) {
      if (line.startsWith(encoded + " ")) {
        destroyed |= DataKeys.destroy(Path.of(line.substring(encoded.length() + 1)));
      }
    }
    return destroyed;
  }

  private java.util.List<String> locations() {
    Path file = cacheDirectory.resolve(LOCATIONS);
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : java.util.List.of();
    } catch (java.io.IOException e) {
      return java.util.List.of();
    }
  }

  private synchronized void recordLocation() {
    String line = io.tiercache.persistence.StoreNames.encode(cacheName) + " " + dataKeyFile.toAbsolutePath();
    if (locations().contains(line)) {
      return;
    }
    Path file = cacheDirectory.resolve(LOCATIONS);
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      io.tiercache.tier.FilePermissions.ownerOnly(file);
    } catch (java.io.IOException e) {
      throw Keyring.failure(cacheName, "cannot record where its data key lives in " + file + ": " + e);
    }
  }

  /** Returns where the cache's data key lives. */
  public Path dataKeyFile() {
    return dataKeyFile;
  }

  private static boolean hasRecords(ByteStore store) {
    Iterator<Map.Entry<byte[], byte[]>> all = store.iterator(null);
    while (all.hasNext()) {
      if (!Arrays.equals(all.next().getKey(), ProtectedStore.MARKER_KEY)) {
        return true;
      }
    }
    return false;
  }

  /** What a store's marker says. */
  private record Marker(String id, boolean hashedKeys, boolean mixed) {
    static Marker parse(byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      String[] parts = new String(bytes, StandardCharsets.US_ASCII).split(" ");
      if (parts.length != 4 || !parts[0].equals("tiercache-encryption-1")) {
        return new Marker("?", false, false);
      }
      return new Marker(parts[1], parts[2].equals("hashed"), parts[3].equals("mixed"));
    }

    byte[] bytes() {
      return ("tiercache-encryption-1 " + id + " " + (hashedKeys ? "hashed" : "plain") + " "
          + (mixed ? "mixed" : "sealed")).getBytes(StandardCharsets.US_ASCII);
    }
  }
}
