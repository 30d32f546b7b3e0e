/**
 * Delivery of JSR-107 entry events: ordered per key, synchronous listeners awaited by the operation that caused them. Internal to tiercache.
 */
package io.tiercache.event;
