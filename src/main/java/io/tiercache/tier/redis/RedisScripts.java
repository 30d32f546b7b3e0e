package io.tiercache.tier.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make the Redis tier's changes atomic across processes. Redis runs a script to its end
 * before any other command, so each script is one indivisible step; every script that touches an entry also
 * touches its lease, which has the same hash tag, so each runs on the node that owns the key.
 *
 * <p>The protocol: a read-modify-write ({@code compute}) first takes the key's lease ({@link #ACQUIRE}: a
 * random token under the lease key, with an expiry), which also returns the current record; it then runs
 * the remapper in Java, and commits ({@link #COMMIT}) only if its token still holds the lease, publishing the
 * change and releasing the lease in the same step. A plain put ({@link #PUT}) and an expiry update
 * ({@link #TOUCH}) are single steps that do nothing while another process holds the lease, so they can never
 * slip between a holder's read and its commit. A process that dies holding a lease blocks the key until the
 * lease expires; a live holder renews it ({@link #RENEW}).
 *
 * <p>Published changes ({@code PUBLISH} on the cache's channel) are frames: the origin and time given by the
 * writer, then the key bytes, the new record and the old record, each as a 4-byte big-endian length
 * (-1: none) and its bytes.
 */
final class RedisScripts {

  private static final String FRAME = "local function frame(s) if not s then return struct.pack('>i4', -1) end"
      + " return struct.pack('>i4', #s) .. s end\n";

  /** KEYS: entry, lease. ARGV: token, lease ms. Returns {1, record or nil} when taken, {0, ms left} if held. */
  static final Script ACQUIRE = new Script(""
      + "if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then\n"
      + "  return {1, redis.call('GET', KEYS[1])}\n"
      + "end\n"
      + "return {0, redis.call('PTTL', KEYS[2])}\n");

  /**
   * KEYS: entry, lease. ARGV: token, operation (S: set, D: delete, R: release only), record, PXAT instant or
   * empty, channel, frame head (empty: publish nothing), key bytes. Returns 1, or 0 when the lease was lost.
   */
  static final Script COMMIT = new Script(FRAME
      + "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end\n"
      + "local op = ARGV[2]\n"
      + "if op ~= 'R' then\n"
      + "  local old = false\n"
      + "  if ARGV[6] ~= '' then old = redis.call('GET', KEYS[1]) end\n"
      + "  if op == 'S' then\n"
      + "    if ARGV[4] == '' then redis.call('SET', KEYS[1], ARGV[3])\n"
      + "    else redis.call('SET', KEYS[1], ARGV[3], 'PXAT', ARGV[4]) end\n"
      + "  else\n"
      + "    redis.call('DEL', KEYS[1])\n"
      + "  end\n"
      + "  if ARGV[6] ~= '' then\n"
      + "    local new = false\n"
      + "    if op == 'S' then new = ARGV[3] end\n"
      + "    redis.call('PUBLISH', ARGV[5], ARGV[6] .. frame(ARGV[7]) .. frame(new) .. frame(old))\n"
      + "  end\n"
      + "end\n"
      + "redis.call('DEL', KEYS[2])\n"
      + "return 1\n");

  /**
   * KEYS: entry, lease. ARGV: record, PXAT instant or empty, channel, frame head (empty: publish nothing), key
   * bytes. Returns -1 when stored, otherwise the milliseconds left on another process's lease.
   */
  static final Script PUT = new Script(FRAME
      + "if redis.call('EXISTS', KEYS[2]) == 1 then\n"
      + "  local left = redis.call('PTTL', KEYS[2])\n"
      + "  if left < 0 then left = 0 end\n"
      + "  return left\n"
      + "end\n"
      + "if ARGV[4] == '' then\n" // nobody hears of it: the old record is not fetched
      + "  if ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1])\n"
      + "  else redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) end\n"
      + "  return -1\n"
      + "end\n"
      + "local old\n"
      + "if ARGV[2] == '' then old = redis.call('SET', KEYS[1], ARGV[1], 'GET')\n"
      + "else old = redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'GET') end\n"
      + "redis.call('PUBLISH', ARGV[3], ARGV[4] .. frame(ARGV[5]) .. frame(ARGV[1]) .. frame(old))\n"
      + "return -1\n");

  /**
   * KEYS: entry, lease. ARGV: the header the record must still have, its new header, PXAT instant or empty.
   * Returns 1 when moved, 0 when the record changed or a lease is held.
   */
  static final Script TOUCH = new Script(""
      + "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end\n"
      + "if redis.call('GETRANGE', KEYS[1], 0, #ARGV[1] - 1) ~= ARGV[1] then return 0 end\n"
      + "redis.call('SETRANGE', KEYS[1], 0, ARGV[2])\n"
      + "if ARGV[3] == '' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end\n"
      + "return 1\n");

  /** KEYS: lease. ARGV: token, lease ms. Returns 1 when the lease is still the token's and was extended. */
  static final Script RENEW = new Script(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
      + "return 0\n");

  /**
   * KEYS: entry, lease. ARGV: the damaged record, the caller's lease token or empty. Deletes the record if it
   * is still exactly that one and nobody else holds the lease. Returns 1 when deleted.
   */
  static final Script DROP = new Script(""
      + "local holder = redis.call('GET', KEYS[2])\n"
      + "if holder and holder ~= ARGV[2] then return 0 end\n"
      + "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
      + "redis.call('DEL', KEYS[1])\n"
      + "return 1\n");

  /**
   * KEYS: the class-id hash. ARGV: "name TAB fingerprint", the first id. Returns the layout's id, claiming the
   * next free one if it has none.
   */
  static final Script CLAIM_CLASS_ID = new Script(""
      + "local id = redis.call('HGET', KEYS[1], 'L:' .. ARGV[1])\n"
      + "if id then return tonumber(id) end\n"
      + "id = redis.call('HINCRBY', KEYS[1], 'next', 1)\n"
      + "if id < tonumber(ARGV[2]) then\n"
      + "  id = tonumber(ARGV[2])\n"
      + "  redis.call('HSET', KEYS[1], 'next', id)\n"
      + "end\n"
      + "redis.call('HSET', KEYS[1], 'L:' .. ARGV[1], id, 'I:' .. id, ARGV[1])\n"
      + "return id\n");

  /**
   * KEYS: the expiry index. ARGV: key bytes, the instant the sweep looked up to. Removes the key from the index
   * unless it was indexed again since with a later expiry (a write that raced with the sweep).
   */
  static final Script UNINDEX = new Script(""
      + "local score = redis.call('ZSCORE', KEYS[1], ARGV[1])\n"
      + "if score and tonumber(score) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end\n"
      + "return 1\n");

  private RedisScripts() { }

  /** A script and its SHA-1, run by digest and sent whole only when the server does not know it yet. */
  static final class Script {
    private final String source;
    private final String digest;

    Script(String source) {
      this.source = source;
      try {
        byte[] sha = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
        this.digest = HexFormat.of().formatHex(sha);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Runs the script: by digest, and with its source when the node answers NOSCRIPT (a new or restarted
     * node, a promoted replica), which also caches it there.
     */
    <T> T run(RedisClusterCommands<byte[], byte[]> commands, ScriptOutputType type, byte[][] keys,
        byte[]... arguments) {
      try {
        return commands.evalsha(digest, type, keys, arguments);
      } catch (RedisNoScriptException unknown) {
        return commands.eval(source.getBytes(StandardCharsets.UTF_8), type, keys, arguments);
      }
    }
  }
}
