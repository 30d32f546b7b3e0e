/**
 * Statistics, health and the JMX MXBeans of a cache. {@link io.tiercache.management.CacheStatistics} and
 * {@link io.tiercache.management.CacheHealth} may be reached through {@code Cache.unwrap}; the beans and the
 * registrar are internal.
 */
package io.tiercache.management;
