/**
 * Statistics and the JMX MXBeans of a cache. {@link io.tiercache.management.CacheStatistics} may be reached through {@code Cache.unwrap}; the rest is internal.
 */
package io.tiercache.management;
