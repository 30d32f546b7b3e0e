package io.tiercache.tier.redis;

import io.lettuce.core.ScriptOutputType;
import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.SerializationException;
import java.nio.charset.StandardCharsets;

/**
 * The class ids of a cache's records, kept in one Redis hash beside its entries so that every process reads
 * an id as the same class: ids are claimed there by a script ({@link RedisScripts#CLAIM_CLASS_ID}), never
 * assigned locally. Fields: {@code L:<name TAB fingerprint>} to the id, {@code I:<id>} back to the layout,
 * and {@code next}, the last id handed out. The hash is never cleared, not even by {@code clear}, so an id is
 * never reused.
 */
final class RedisClassIds implements ClassRegistry.Shared {

  private final RedisLink link;
  private final byte[] hash;

  RedisClassIds(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.hash = keys.classes();
  }

  @Override
  public int claim(String className, String fingerprint, int firstId) {
    try {
      Long id = RedisScripts.CLAIM_CLASS_ID.run(link.commands(), ScriptOutputType.INTEGER, new byte[][] {hash},
          (className + "\t" + fingerprint).getBytes(StandardCharsets.UTF_8),
          Integer.toString(firstId).getBytes(StandardCharsets.US_ASCII));
      return Math.toIntExact(id);
    } catch (RuntimeException e) {
      throw new SerializationException("Cannot claim a class id for " + className + " in Redis: "
          + RedisLink.reason(e), e);
    }
  }

  @Override
  public String[] lookup(int id) {
    byte[] layout;
    try {
      layout = link.commands().hget(hash, ("I:" + id).getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      throw new SerializationException("Cannot look up class id " + id + " in Redis: " + RedisLink.reason(e), e);
    }
    if (layout == null) {
      return null;
    }
    String[] parts = new String(layout, StandardCharsets.UTF_8).split("\t", 2);
    return parts.length == 2 ? parts : null;
  }
}
