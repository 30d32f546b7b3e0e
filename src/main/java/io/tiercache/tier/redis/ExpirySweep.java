package io.tiercache.tier.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.RemovalCause;
import io.tiercache.tier.TierListener;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Reports entries that expired and that nobody read since. Every write of a record that expires indexes its
 * key by expiry instant ({@code tc:<namespace>:index:expiry}, a sorted set); while this process has listeners,
 * the sweep removes the entries expired for at least {@link #DELAY_MILLIS} through the tier's lease, so that
 * exactly one process removes each and the others hear it as an expiry, and tells the listener once the
 * removal committed. Without it such an entry would vanish in Redis's own reclamation without any event.
 *
 * @param <K> the key type
 */
final class ExpirySweep<K> {

  /** How long an entry must have been expired before the sweep reports it; an access reports it at once. */
  static final long DELAY_MILLIS = 1_000;

  private final RedisCalls calls;
  private final RedisLink link;
  private final RedisKeys keys;
  private final Clock clock;
  private final TierListener<? super K> listener;

  ExpirySweep(RedisCalls calls, RedisLink link, RedisKeys keys, Clock clock, TierListener<? super K> listener) {
    this.calls = calls;
    this.link = link;
    this.keys = keys;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Indexes a record's expiry, without waiting for the reply: an index entry lost to a crash costs only the
   * event of an entry nobody reads, which Redis reclaims all the same.
   */
  void index(byte[] keyBytes, long expireAt) {
    if (expireAt == Envelope.ETERNAL) {
      return;
    }
    try {
      link.async().zadd(keys.expiries(), (double) expireAt, keyBytes);
    } catch (RuntimeException e) {
      // as if lost to a crash
    }
  }

  /** Sweeps up to 256 entries due now, through {@code tier}. */
  void sweep(RedisTier<K> tier) {
    if (!listener.listening()) {
      return;
    }
    long cutoff = clock.millis() - DELAY_MILLIS;
    List<byte[]> due = calls.commands().zrangebyscore(keys.expiries(), Range.create(0, cutoff),
        Limit.create(0, 256));
    byte[] until = Long.toString(cutoff).getBytes(StandardCharsets.US_ASCII);
    for (byte[] keyBytes : due) { // the keys the entries are stored under: with hidden keys, keyed hashes
      try {
        K key = tier.keyOf(keyBytes);
        if (key == null) {
          throw new IllegalStateException("gone or unreadable here"); // unindexed below, like an undecodable key
        }
        Envelope[] expired = new Envelope[1];
        Envelope kept = tier.compute(key, (k, current) -> {
          if (current != null && current.expireAtMillis() <= cutoff) {
            expired[0] = current;
            return null;
          }
          return current;
        });
        if (expired[0] != null) {
          listener.onRemoval(key, expired[0], RemovalCause.EXPIRED); // once the removal committed
        } else if (kept != null) {
          index(keyBytes, kept.expireAtMillis()); // its expiry moved later: indexed again, not forgotten
        }
      } catch (RuntimeException e) {
        // an undecodable key or record, or Redis failing: unindexed all the same
      }
      RedisScripts.UNINDEX.run(calls.commands(), ScriptOutputType.INTEGER, new byte[][] {keys.expiries()},
          keyBytes, until);
    }
  }
}
