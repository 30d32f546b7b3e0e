package io.tiercache.tier.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.serialization.ClassAllowlist;
import io.tiercache.serialization.KryoSerializer;
import io.tiercache.testing.FakeClock;
import io.tiercache.testing.RedisServer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierContractTest;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.serialized.SharedProtection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Redis tier against the shared contract, on a real standalone server started by the test, each test in
 * a namespace of its own; plus what only a shared tier has: a second tier on the same namespace (another
 * process, as far as Redis can tell) sees the first one's writes.
 */
class RedisTierContractTest extends TierContractTest {

  private String namespace;

  static RedisSettings settings(String uri, String namespace) {
    return new RedisSettings(uri, List.of(), null, null, namespace, Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(30), RedisSettings.WhenUnreachable.FAIL, true);
  }

  static <K> RedisTier<K> open(RedisSettings settings, TierListener<K> listener, long nearCache) {
    return open(settings, listener, nearCache, SharedProtection.NONE);
  }

  static <K> RedisTier<K> open(RedisSettings settings, TierListener<K> listener, long nearCache,
      SharedProtection protection) {
    return RedisTiers.open(settings, "contract", registry -> new KryoSerializer(registry,
        ClassAllowlist.of(List.of()), () -> RedisTierContractTest.class.getClassLoader(), "test cache"),
        new FakeClock(), listener, nearCache, true, protection);
  }

  /** How the tiers of a test protect their records: plain here. */
  protected SharedProtection protection() {
    return SharedProtection.NONE;
  }

  protected long nearCacheEntries() {
    return 0;
  }

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    namespace = "contract-" + UUID.randomUUID();
    return open(settings(RedisServer.shared().uri(), namespace), listener, nearCacheEntries(), protection());
  }

  @Test
  void aSecondTierOnTheSameNamespaceSeesTheFirstOnesWrites() {
    try (RedisTier<String> other = open(settings(RedisServer.shared().uri(), namespace), (k, e, c) -> { },
        nearCacheEntries(), protection())) {
      tier.compute("shared", (key, current) -> new Envelope("from-first", Envelope.ETERNAL));
      assertThat(other.get("shared").value()).isEqualTo("from-first");
      other.compute("shared", (key, current) -> new Envelope(current.value() + "+second", Envelope.ETERNAL));
      assertThat(tier.get("shared").value()).isEqualTo("from-first+second");
    }
  }
}
