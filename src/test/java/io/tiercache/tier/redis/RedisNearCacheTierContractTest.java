package io.tiercache.tier.redis;

/** The Redis tier with its near cache against the shared contract: the near cache must change nothing visible. */
class RedisNearCacheTierContractTest extends RedisTierContractTest {

  @Override
  protected long nearCacheEntries() {
    return 10_000;
  }
}
