/**
 * Adapters around the user's CacheLoader and CacheWriter that give their failures the exception types JSR-107 requires. Internal to tiercache.
 */
package io.tiercache.integration;
