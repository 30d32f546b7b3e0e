/**
 * The {@link javax.cache.spi.CachingProvider} registered with {@code java.util.ServiceLoader}, and nothing else.
 */
package io.tiercache.spi;
