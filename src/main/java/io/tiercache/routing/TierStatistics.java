package io.tiercache.routing;

/**
 * One tier's share of a composite cache at one moment.
 *
 * @param tier the tier's name
 * @param entries the entries it holds
 * @param bytes the serialized bytes of its records, or -1 for the heap, which holds objects
 * @param hits the lookups it answered
 * @param misses the lookups that reached it and did not find their key there
 */
public record TierStatistics(String tier, long entries, long bytes, long hits, long misses) { }
