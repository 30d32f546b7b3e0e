/**
 * JSR-107 caching annotations under Jakarta CDI 4: a portable extension that makes them interceptor bindings,
 * and the interceptors. Optional: needs jakarta.enterprise.cdi-api at run time only when used.
 */
package io.tiercache.cdi;
