package io.tiercache.routing;

import io.tiercache.serialization.KryoFactory;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Tier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Several tiers seen as one: each entry lives in exactly one of them, the one its {@link TypeStrategy}
 * chooses. This is how a key-only operation finds its entry, and what a miss costs:
 *
 * <ul>
 *   <li>If the strategy routes by key alone, the key's tier is computed and only that tier is read.</li>
 *   <li>Otherwise the tiers are probed in order, fastest first, and the first hit wins. A miss costs one
 *       lookup per tier: a hash probe on the heap, a hash-tree probe in MapDB's mapped file, and in RocksDB a
 *       bloom-filter check that answers "absent" without reading a data block for all but ~1% of keys. No
 *       value is read or deserialized on a miss.</li>
 * </ul>
 *
 * <p>Writes take a striped per-key lock, read the current record, apply the remapper once, and store the
 * result in the tier the strategy picks. When that differs from where the entry was, the entry moves: the
 * stripe's version is made odd, the entry is written to the tier earlier in probe order before it is removed
 * from the later one (so a crash in between leaves the new value in the tier probed first, never a stale one
 * in front of it), and the version is made even again. Lock-free readers that miss check the version before
 * and after their probes and, if a move overlapped them, read again under the lock; so no reader ever sees a
 * moving entry missing. A hit needs no check: both copies are committed values.
 *
 * @param <K> the key type
 */
public final class CompositeTier<K> implements Tier<K> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CompositeTier.class);

  private final List<Tier<K>> tiers;
  private final List<String> names;
  private final TypeStrategy strategy;
  private final boolean keyOnly;
  private final KeyLocks locks = new KeyLocks(1024);
  private final AtomicLongArray versions = new AtomicLongArray(locks.size());
  private final RoutingContext context;
  private final LongAdder[] hits;
  private final LongAdder misses = new LongAdder();

  /**
   * @param tiers the tiers in probe order, by name ({@link TierNames})
   * @param strategy picks an entry's tier
   */
  public CompositeTier(Map<String, Tier<K>> tiers, TypeStrategy strategy) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("a composite tier needs at least one tier");
    }
    this.tiers = new ArrayList<>(tiers.values());
    this.names = List.copyOf(tiers.keySet());
    this.strategy = strategy;
    this.keyOnly = strategy.routesByKeyOnly();
    this.context = new SizeMeasuringContext(names);
    this.hits = new LongAdder[this.tiers.size()];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new LongAdder();
    }
  }

  /** Returns a snapshot of each tier's entries, bytes and the lookups it answered, in probe order. */
  public List<TierStatistics> statistics() {
    List<TierStatistics> snapshot = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier<K> tier = tiers.get(i);
      snapshot.add(new TierStatistics(names.get(i), tier.size(), tier.bytes(), hits[i].sum()));
    }
    return snapshot;
  }

  /** Returns how many lookups found their key in no tier. */
  public long misses() {
    return misses.sum();
  }

  /** Returns the tiers, in probe order. */
  public List<Tier<K>> tiers() {
    return Collections.unmodifiableList(tiers);
  }

  /** Returns the names of the tiers, in probe order. */
  public List<String> tierNames() {
    return names;
  }

  @Override
  public String name() {
    return "composite" + names;
  }

  /** Returns the index of the tier the strategy picks, mapped to the closest configured tier. */
  int route(K key, Object value) {
    String wanted = strategy.route(key, value, context);
    int index = names.indexOf(wanted);
    if (index >= 0) {
      return index;
    }
    int wantedRank = TierNames.rank(wanted);
    if (wantedRank < 0) {
      throw new IllegalStateException("Strategy " + strategy.getClass().getName() + " routed to '" + wanted
          + "', which is not a tier; allowed: " + String.join(", ", TierNames.ALL));
    }
    int best = 0;
    int bestDistance = Integer.MAX_VALUE;
    for (int i = 0; i < names.size(); i++) {
      int rank = TierNames.rank(names.get(i));
      // closest rank wins; on a tie, the larger (later) tier
      int distance = Math.abs(rank - wantedRank) * 2 - (rank > wantedRank ? 1 : 0);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  }

  @Override
  public Envelope get(K key) {
    if (keyOnly) {
      int index = route(key, null);
      return counted(index, tiers.get(index).get(key));
    }
    int stripe = locks.stripeOf(key);
    long before = versions.get(stripe);
    if ((before & 1) == 0) {
      for (int i = 0; i < tiers.size(); i++) {
        Envelope envelope = tiers.get(i).get(key);
        if (envelope != null) {
          return counted(i, envelope);
        }
      }
      if (versions.get(stripe) == before) {
        misses.increment();
        return null;
      }
    }
    ReentrantLock lock = locks.stripe(stripe);
    lock.lock();
    try {
      Location found = locate(key);
      return counted(found.index, found.envelope);
    } finally {
      lock.unlock();
    }
  }

  private Envelope counted(int index, Envelope envelope) {
    if (envelope == null) {
      misses.increment();
    } else {
      hits[index].increment();
    }
    return envelope;
  }

  /** Where a key is: its tier's index and record, or index -1. Called under the key's lock. */
  private Location locate(K key) {
    if (keyOnly) {
      int index = route(key, null);
      Envelope envelope = tiers.get(index).get(key);
      return new Location(envelope == null ? -1 : index, envelope);
    }
    for (int i = 0; i < tiers.size(); i++) {
      Envelope envelope = tiers.get(i).get(key);
      if (envelope != null) {
        return new Location(i, envelope);
      }
    }
    return new Location(-1, null);
  }

  @Override
  public void checkStorable(K key, Object value) {
    tiers.get(route(key, value)).checkStorable(key, value);
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    int stripe = locks.stripeOf(key);
    ReentrantLock lock = locks.stripe(stripe);
    lock.lock();
    try {
      Location found = locate(key);
      Envelope replacement = remapper.remap(key, found.envelope);
      if (replacement == found.envelope) {
        return replacement;
      }
      if (replacement == null) {
        tiers.get(found.index).compute(key, (k, current) -> null);
        removeStaleCopiesAfter(key, found.index);
        return null;
      }
      int target = keyOnly ? route(key, null) : route(key, replacement.value());
      if (found.index < 0 || found.index == target) {
        Envelope stored = tiers.get(target).compute(key, (k, current) -> replacement);
        removeStaleCopiesAfter(key, target);
        return stored;
      }
      Envelope stored = move(key, found.index, target, replacement, stripe);
      removeStaleCopiesAfter(key, Math.max(found.index, target));
      return stored;
    } finally {
      lock.unlock();
    }
  }

  private Envelope move(K key, int from, int to, Envelope replacement, int stripe) {
    versions.incrementAndGet(stripe); // odd: lock-free readers that miss now retry under the lock
    try {
      if (to < from) {
        Envelope stored = tiers.get(to).compute(key, (k, current) -> replacement);
        try {
          tiers.get(from).compute(key, (k, current) -> null);
        } catch (RuntimeException leftBehind) {
          // the new value is stored in front and wins every lookup; the copy behind goes at the next write
          LOG.warn("Could not remove the old copy of a moved entry from tier {}: {}", names.get(from),
              leftBehind.getMessage());
        }
        return stored;
      }
      // Moving later in probe order: the earlier copy must go first, or a crash between the two steps
      // would leave the old value in front of the new one. If the write then fails, put the old one back.
      Envelope previous = tiers.get(from).get(key);
      tiers.get(from).compute(key, (k, current) -> null);
      try {
        return tiers.get(to).compute(key, (k, current) -> replacement);
      } catch (RuntimeException failure) {
        if (previous != null) {
          tiers.get(from).compute(key, (k, current) -> previous);
        }
        throw failure;
      }
    } finally {
      versions.incrementAndGet(stripe);
    }
  }

  /**
   * After a crash mid-move a key may linger in a later tier. Every write clears the tiers behind the one it
   * wrote (a cheap probe each: a bloom filter in RocksDB), so a stale copy can never resurface when the
   * current one is evicted or removed.
   */
  private void removeStaleCopiesAfter(K key, int index) {
    if (keyOnly) {
      return;
    }
    for (int i = index + 1; i < tiers.size(); i++) {
      Tier<K> tier = tiers.get(i);
      if (tier.get(key) != null) {
        tier.compute(key, (k, current) -> null);
      }
    }
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    try {
      Location found = locate(key);
      if (found.index >= 0) {
        tiers.get(found.index).updateExpiry(key, envelope, expireAtMillis);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> keys) {
    Map<K, Envelope> found = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    keys.forEach(missing::add);
    long[] before = new long[missing.size()];
    for (int i = 0; i < missing.size(); i++) {
      before[i] = versions.get(locks.stripeOf(missing.get(i)));
    }
    for (Tier<K> tier : tiers) {
      if (missing.isEmpty()) {
        break;
      }
      Map<K, Envelope> hits = tier.getAll(missing);
      found.putAll(hits);
      missing.removeAll(hits.keySet());
    }
    // a key missed everywhere while its stripe was moving something is read again, under the lock
    List<K> requested = new ArrayList<>();
    keys.forEach(requested::add);
    for (int i = 0; i < requested.size(); i++) {
      K key = requested.get(i);
      if (!found.containsKey(key) && (versions.get(locks.stripeOf(key)) != before[i] || (before[i] & 1) == 1)) {
        Envelope envelope = get(key);
        if (envelope != null) {
          found.put(key, envelope);
        }
      }
    }
    return found;
  }

  /**
   * Iterates tier by tier. An entry is returned from the first tier, in probe order, that holds it, so a copy
   * an entry left behind while moving is never returned twice. Like any weakly consistent iterator it may
   * miss an entry that moves into a tier it has already passed.
   */
  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    return new Iterator<>() {
      private int tier = -1;
      private Iterator<Map.Entry<K, Envelope>> current = Collections.emptyIterator();
      private Map.Entry<K, Envelope> next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          while (!current.hasNext()) {
            if (++tier >= tiers.size()) {
              return false;
            }
            current = tiers.get(tier).iterator();
          }
          Map.Entry<K, Envelope> candidate = current.next();
          if (!heldByEarlierTier(candidate.getKey(), tier)) {
            next = candidate;
          }
        }
        return true;
      }

      @Override
      public Map.Entry<K, Envelope> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Map.Entry<K, Envelope> entry = next;
        next = null;
        return entry;
      }
    };
  }

  private boolean heldByEarlierTier(K key, int index) {
    for (int i = 0; i < index; i++) {
      if (tiers.get(i).get(key) != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long size() {
    long size = 0;
    for (Tier<K> tier : tiers) {
      size += tier.size();
    }
    return size;
  }

  @Override
  public long bytes() {
    long bytes = 0;
    for (Tier<K> tier : tiers) {
      long tierBytes = tier.bytes();
      if (tierBytes > 0) {
        bytes += tierBytes;
      }
    }
    return bytes;
  }

  @Override
  public void clear() {
    for (Tier<K> tier : tiers) {
      tier.clear();
    }
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    for (Tier<K> tier : tiers) {
      T engine = tier.unwrap(type);
      if (engine != null) {
        return engine;
      }
    }
    return null;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Tier<K> tier : tiers) {
      try {
        tier.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static final class Location {
    final int index;
    final Envelope envelope;

    Location(int index, Envelope envelope) {
      this.index = index;
      this.envelope = envelope;
    }
  }

  /** Sizes values for strategies: fast paths for bytes, strings and numbers; a measuring serialization otherwise. */
  private static final class SizeMeasuringContext implements RoutingContext {
    private final List<String> tiers;

    SizeMeasuringContext(List<String> tiers) {
      this.tiers = tiers;
    }

    @Override
    public List<String> tiers() {
      return tiers;
    }

    @Override
    public long serializedSize(Object value) {
      if (value instanceof byte[]) {
        return ((byte[]) value).length;
      }
      if (value instanceof String) {
        return ((String) value).length(); // UTF-16 units: a close, cheap stand-in for UTF-8 bytes
      }
      if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
        return 8;
      }
      return KryoFactory.measure(value);
    }
  }
}
