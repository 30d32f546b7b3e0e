/**
 * The mutable entry and results of EntryProcessor invocations. Internal to tiercache.
 */
package io.tiercache.processor;
