package io.tiercache.tier.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.testing.RedisCluster;
import io.tiercache.testing.RedisServer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Redis tier on a real cluster (three masters, a replica each) against the shared contract: size,
 * iteration and clear must cover every master. Also checks that one cache's entries spread over all masters
 * instead of living in one slot.
 */
class RedisClusterTierContractTest extends RedisTierContractTest {

  @Override
  protected long nearCacheEntries() {
    return 10_000;
  }

  private String clusterNamespace;

  @Override
  protected Tier<String> createTier(TierListener<String> listener) {
    clusterNamespace = "cluster-" + UUID.randomUUID();
    return open(clusterSettings(clusterNamespace), listener, nearCacheEntries());
  }

  static RedisSettings clusterSettings(String namespace) {
    return new RedisSettings(null, RedisCluster.shared().uris(), null, null, namespace, Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(30), RedisSettings.WhenUnreachable.FAIL, true);
  }

  @Override
  @Test
  void aSecondTierOnTheSameNamespaceSeesTheFirstOnesWrites() {
    String namespace = "cluster-shared-" + UUID.randomUUID();
    try (RedisTier<String> first = open(clusterSettings(namespace), (k, e, c) -> { }, 10_000);
        RedisTier<String> second = open(clusterSettings(namespace), (k, e, c) -> { }, 10_000)) {
      first.compute("shared", (key, current) -> new Envelope("from-first", Envelope.ETERNAL));
      assertThat(second.get("shared").value()).isEqualTo("from-first");
      second.compute("shared", (key, current) -> new Envelope(current.value() + "+second", Envelope.ETERNAL));
      assertThat(first.get("shared").value()).isEqualTo("from-first+second");
    }
  }

  @Test
  void aCachesEntriesSpreadOverEveryMaster() {
    for (int i = 0; i < 300; i++) {
      String value = "v" + i;
      tier.compute("k" + i, (key, current) -> new Envelope(value, Envelope.ETERNAL));
    }
    List<RedisServer> masters = RedisCluster.shared().masters();
    assertThat(masters).hasSize(3);
    for (RedisServer master : masters) {
      String pattern = new RedisKeys(clusterNamespace).prefix() + "e*";
      long keys = master.cli("--scan", "--pattern", pattern).lines().filter(line -> !line.isBlank()).count();
      assertThat(keys).as("keys on master %d", master.port()).isGreaterThan(50);
    }
    assertThat(tier.size()).isEqualTo(300);
  }
}
