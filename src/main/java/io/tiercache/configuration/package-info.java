/**
 * tiercache's configuration type, which extends JSR-107's MutableConfiguration with what the standard lacks (heap bounds, clock, executor).
 */
package io.tiercache.configuration;
