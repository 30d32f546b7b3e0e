/**
 * Kryo set-up shared by copying and, with disk tiers, serialization. Internal to tiercache.
 */
package io.tiercache.serialization;
