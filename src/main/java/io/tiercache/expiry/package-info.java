/**
 * JSR-107 expiry policies turned into expiry instants on the cache's clock. Internal to tiercache.
 */
package io.tiercache.expiry;
