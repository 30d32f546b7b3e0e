package io.tiercache.tier.redis;

import io.tiercache.serialization.ClassRegistry;
import io.tiercache.serialization.Serializer;
import io.tiercache.tier.ReadCopies;
import io.tiercache.tier.TierListener;
import io.tiercache.tier.TierUnavailableException;
import io.tiercache.tier.serialized.SharedProtection;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Opens Redis tiers: connects, checks the server, and starts the near cache's tracking and the change feed. */
public final class RedisTiers {

  /**
   * The process's background work for Redis tiers, one thread per kind so that none waits for another: lease
   * renewals must never queue behind a tracking check or a sweep that waits for a slow server.
   */
  private static final ScheduledExecutorService RENEWALS = scheduler("tiercache-redis-leases");
  private static final ScheduledExecutorService TRACKING = scheduler("tiercache-redis-tracking");
  private static final ScheduledExecutorService SWEEPS = scheduler("tiercache-redis-expiry-sweep");

  private RedisTiers() { }

  private static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  /**
   * Opens the Redis tier of one cache.
   *
   * @param settings where and how to connect
   * @param cacheName the cache, for thread names and messages
   * @param serializers makes the cache's serializer over the class registry kept in Redis
   * @param clock the cache's clock
   * @param listener told of changes other processes commit (its {@link TierListener#onRemoteChange}) and of
   *     expired entries the sweep removed
   * @param nearCacheEntries the near cache's bound in entries, or 0 for none
   * @param events true to publish this process's changes and hear those of others
   * @param protection how the records are protected in Redis ({@link SharedProtection#NONE}: plain)
   * @throws TierUnavailableException naming the server and the problem when it cannot be used, or what is
   *     wrong with the protection (a missing or wrong key)
   */
  public static <K> RedisTier<K> open(RedisSettings settings, String cacheName,
      Function<ClassRegistry, Serializer> serializers, Clock clock, TierListener<? super K> listener,
      long nearCacheEntries, boolean events, SharedProtection protection) {
    RedisLink link = RedisLink.open(settings);
    RedisTier<K> tier = null;
    try {
      RedisKeys keys = new RedisKeys(settings.namespace());
      Serializer serializer = serializers.apply(ClassRegistry.shared(new RedisClassIds(link, keys)));
      ReadCopies<Object> near = nearCacheEntries > 0 ? ReadCopies.ofEntries(nearCacheEntries) : null;
      tier = new RedisTier<>(link, keys, serializer, clock, near, new LeaseKeeper(link, RENEWALS), events,
          listener, protection);
      // each part is attached as soon as it exists, so that closing the tier on a later failure closes it
      if (near != null) {
        Invalidations<Object> invalidations = new Invalidations<>(link, keys, near, tier::nearKeyOf, TRACKING);
        tier.attach(invalidations);
        invalidations.start();
      }
      if (events) {
        RedisTier<K> self = tier;
        tier.attach(ChangeFeed.subscribe(link, keys.channel(), tier.origin(), cacheName,
            self::deliver));
        tier.attach(SWEEPS.scheduleWithFixedDelay(() -> {
          try {
            self.sweep();
          } catch (RuntimeException e) {
            // Redis unreachable: the next round tries again
          }
        }, 1, 1, TimeUnit.SECONDS));
      }
      return tier;
    } catch (RuntimeException e) {
      if (tier != null) {
        tier.close();
      } else {
        link.close();
      }
      if (e instanceof TierUnavailableException) {
        throw e;
      }
      throw new TierUnavailableException("Redis " + settings.describe() + ": " + RedisLink.reason(e), e);
    }
  }
}
