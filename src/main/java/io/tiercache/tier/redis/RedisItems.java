package io.tiercache.tier.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.tiercache.tier.serialized.SharedProtection;
import java.nio.charset.StandardCharsets;

/**
 * What a cache keeps in Redis beside its entries for its protection (the encryption marker and the wrapped data
 * key), one Redis key per item, {@code <prefix>item:<name>}. Each change is one command or script on one key, so
 * it is atomic on a cluster too.
 */
final class RedisItems implements SharedProtection.Items {

  private static final RedisScripts.Script REPLACE = new RedisScripts.Script(""
      + "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
      + "redis.call('SET', KEYS[1], ARGV[2])\n"
      + "return 1\n");

  private final RedisCalls calls;
  private final RedisKeys keys;

  RedisItems(RedisCalls calls, RedisKeys keys) {
    this.calls = calls;
    this.keys = keys;
  }

  private byte[] key(String item) {
    // not "e...": every key starting with the entry prefix is tracked as an entry
    return (keys.prefix() + "item:" + item).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public byte[] get(String item) {
    return calls.run("reading " + item, () -> calls.commands().get(key(item)));
  }

  @Override
  public boolean putIfAbsent(String item, byte[] value) {
    return Boolean.TRUE.equals(calls.run("storing " + item, () -> calls.commands().setnx(key(item), value)));
  }

  @Override
  public boolean replace(String item, byte[] expected, byte[] value) {
    Long replaced = calls.run("replacing " + item, () -> REPLACE.run(calls.commands(), ScriptOutputType.INTEGER,
        new byte[][] {key(item)}, expected, value));
    return replaced != null && replaced == 1;
  }

  @Override
  public boolean delete(String item) {
    Long deleted = calls.run("deleting " + item, () -> calls.commands().del(key(item)));
    return deleted != null && deleted > 0;
  }

  /** Scans until the first entry key: as cheap as the namespace is small or its first batch holds an entry. */
  @Override
  public boolean hasRecords() {
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> found = calls.run("looking for entries", () -> calls.commands().scan(from,
          ScanArgs.Builder.matches(keys.scanPattern()).limit(512)));
      for (byte[] key : found.getKeys()) {
        if (keys.isEntry(key)) {
          return true;
        }
      }
      if (found.isFinished()) {
        return false;
      }
      cursor = found;
    }
  }
}
