/**
 * JSR-107 caching annotations applied without a container: the shared semantics
 * ({@link io.tiercache.annotation.CacheAnnotationInvoker}), the default key generator and resolver factory, and
 * {@link io.tiercache.annotation.CachingProxies} for plain Java.
 */
package io.tiercache.annotation;
