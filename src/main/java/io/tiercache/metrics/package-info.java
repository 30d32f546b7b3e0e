/**
 * Per-tier meters for Micrometer. Micrometer is an optional dependency: only applications that have it on
 * their class path and bind {@link io.tiercache.metrics.TierMetricsBinder} load this package.
 */
package io.tiercache.metrics;
