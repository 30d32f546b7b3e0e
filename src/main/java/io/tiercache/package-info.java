/**
 * tiercache's JSR-107 provider core: the cache manager, the cache, and the operations written once against the tier SPI. Public: {@link io.tiercache.TierCacheManager}, {@link io.tiercache.TierCache}, {@link io.tiercache.CacheEntry}; the rest is package-private.
 */
package io.tiercache;
