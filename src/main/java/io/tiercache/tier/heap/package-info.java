/**
 * The heap tier, backed by Caffeine.
 */
package io.tiercache.tier.heap;
