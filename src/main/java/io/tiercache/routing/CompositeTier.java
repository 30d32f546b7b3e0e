package io.tiercache.routing;

import io.tiercache.serialization.Serializer;
import io.tiercache.tier.Envelope;
import io.tiercache.tier.EnvelopeRemapper;
import io.tiercache.tier.KeyLocks;
import io.tiercache.tier.Prepared;
import io.tiercache.tier.ReadCopies;
import io.tiercache.tier.Tier;
import io.tiercache.tier.TierException;
import io.tiercache.tier.serialized.RecordFormat;
import io.tiercache.tier.serialized.SerializedTier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Several tiers seen as one: each entry lives in exactly one of them, the one its {@link TypeStrategy}
 * chooses ({@link Placement}). How a key-only operation finds its entry, and what a miss costs:
 *
 * <ul>
 *   <li>If the strategy routes by key alone, the key's tier is computed and only that tier is read.</li>
 *   <li>Otherwise the tiers are probed in order, fastest first, and the first hit wins. A miss costs one
 *       lookup per tier (RocksDB answers most absent keys from its bloom filters); the key is serialized once
 *       for all byte-storing tiers ({@link Probe}).</li>
 * </ul>
 *
 * <p><b>Writes.</b> A write holds the key's stripe of {@link KeyLocks}, which the composite shares with its
 * byte-storing tiers (so their own evictions of the key wait too), reads the current record once, applies the
 * remapper once and stores the result where {@link #prepare} placed it, with the bytes prepared there.
 *
 * <p><b>Moves, and why a crash cannot lose or resurrect a value.</b> When the entry was in another tier, the
 * new copy is written first and the old copy deleted after it. The new copy's record carries a sequence one
 * higher than the old one's. So at every instant the newest committed value exists somewhere: a crash before
 * the write leaves the old (last acknowledged) value alone; a crash between the two steps leaves both copies,
 * and the {@link RecoverySweep} that runs when the composite opens deletes the one with the lower sequence
 * before anything is served; after the delete only the new copy exists. Since at most one copy exists at rest,
 * no later eviction, expiry or removal of the newer copy can uncover an older one. A copy on the heap dies
 * with the process and never comes back, so a move from disk to the heap deletes the disk copy before it
 * returns; an entry whose last value lived on the heap is absent after a restart, never older.
 *
 * <p><b>Hot copies.</b> A strategy may ask for copies on the heap of the entries read most
 * ({@link TypeStrategy#hotCopyBudgetBytes}): a read that finds its entry in a byte-storing tier offers a copy
 * ({@link ReadCopies}, bounded in bytes, admitted by frequency per byte); a write, an expiry change, and a
 * tier dropping the entry by itself (eviction, reclaimed expiry: {@link #forgetCopy}) remove it, and a read that
 * overlapped any of them keeps nothing. The entry itself never leaves its home tier for this, so copies change
 * nothing about crashes, sizes, iteration or events.
 *
 * <p><b>Cooling.</b> Under a warm budget ({@link TypeStrategy#warmBudgetBytes}), writes that leave MapDB above
 * it move its least-read entries down to RocksDB, each by the same crash-safe move as a change of size class.
 *
 * <p>Lock-free readers that miss check the stripe's version before and after their probes; a move makes the
 * version odd while it runs, so a reader that overlapped one reads again under the lock and never sees a
 * moving entry missing. A hit needs no check: both copies are committed values.
 *
 * @param <K> the key type
 */
public final class CompositeTier<K> implements Tier<K> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CompositeTier.class);
  /** How many MapDB keys a cooling step looks at to pick the least read. */
  private static final int COOLING_SAMPLE = 8;
  /** How many entries one write may move down, so that no caller pays for a large backlog alone. */
  private static final int MAX_COOLED_PER_WRITE = 16;

  private final List<Tier<K>> tiers;
  private final List<Slot<K>> slots;
  private final List<String> names;
  private final Placement<K> placement;
  private final KeyLocks locks;
  private final Moves<K> moves;
  private final Lookups lookups;
  private final Serializer serializer;
  private final boolean firstHoldsObjects;
  private final ReadCopies<K> hot;          // null unless the strategy keeps hot copies
  private final long copyMaxBytes;
  private final long warmBudget;            // 0 unless the strategy moves cold MapDB entries to RocksDB
  private final int warmIndex;
  private final int coldIndex;
  private final ReentrantLock cooling = new ReentrantLock();
  private final java.util.concurrent.atomic.LongAdder cooled = new java.util.concurrent.atomic.LongAdder();

  /**
   * Combines tiers. Byte-storing tiers must share one {@link KeyLocks} (the composite takes it as its own);
   * opening runs the {@link RecoverySweep}.
   *
   * @param tiers the tiers in probe order, by name ({@link TierNames})
   * @param strategy picks an entry's tier
   */
  public CompositeTier(Map<String, Tier<K>> tiers, TypeStrategy strategy) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("a composite tier needs at least one tier");
    }
    this.tiers = new ArrayList<>(tiers.values());
    this.names = List.copyOf(tiers.keySet());
    List<Slot<K>> slotList = new ArrayList<>();
    List<SerializedTier<K>> byteTiers = new ArrayList<>();
    for (Tier<K> tier : this.tiers) {
      Slot<K> slot = Slot.of(tier);
      slotList.add(slot);
      if (slot.bytes() != null) {
        byteTiers.add(slot.bytes());
      }
    }
    this.slots = List.copyOf(slotList);
    this.firstHoldsObjects = slotList.get(0).bytes() == null;
    this.locks = byteTiers.isEmpty() ? new KeyLocks(1024) : byteTiers.get(0).locks();
    for (SerializedTier<K> byteTier : byteTiers) {
      if (byteTier.locks() != locks) {
        throw new IllegalArgumentException("the byte-storing tiers of a composite must share one KeyLocks, so"
            + " that the composite's lock of a key also holds their writers and evictions of it");
      }
    }
    this.moves = new Moves<>(slots, names, locks.size());
    SerializedTier<K> measurer = byteTiers.isEmpty() ? null : byteTiers.get(0);
    this.serializer = measurer == null ? null : measurer.serializer();
    this.placement = new Placement<>(strategy, names, slots, measurer);
    this.lookups = new Lookups(this.tiers.size());
    long budget = strategy.hotCopyBudgetBytes();
    // the heap tier, first, stands for the copies: their hits are its hits
    this.hot = budget > 0 && firstHoldsObjects && names.get(0).equals(TierNames.HEAP) && !placement.keyOnly
        ? ReadCopies.ofBytes(budget, CompositeTier::weight) : null;
    this.copyMaxBytes = strategy.hotCopyMaxBytes();
    int warm = names.indexOf(TierNames.MAPDB);
    int cold = names.indexOf(TierNames.ROCKSDB);
    boolean canCool = warm >= 0 && cold >= 0 && slots.get(warm).bytes() != null && slots.get(cold).bytes() != null
        && !placement.keyOnly;
    this.warmBudget = canCool ? strategy.warmBudgetBytes() : 0;
    this.warmIndex = warm;
    this.coldIndex = cold;
    // even a key-only strategy sweeps: the store may come from a crash under another strategy that moved entries
    RecoverySweep.run(byteTiers, name());
  }

  /**
   * Returns a snapshot of each tier's entries, bytes and the lookups it answered and missed, in probe order.
   * Applications read the same figures for any cache through {@code CacheHealth}.
   */
  public List<TierStatistics> statistics() {
    List<TierStatistics> snapshot = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier<K> tier = tiers.get(i);
      snapshot.add(new TierStatistics(names.get(i), tier.sizeForMonitoring(), tier.bytes(), lookups.hits(i),
          lookups.misses(i)));
    }
    return snapshot;
  }

  /** Returns how many lookups found their key in no tier. */
  public long misses() {
    return lookups.misses();
  }

  /** Returns how many copies of hot entries were taken onto the heap (promotions); 0 without hot copies. */
  public long promotions() {
    return hot == null ? 0 : hot.kept();
  }

  /** Returns how many copies were dropped as their entries cooled down (demotions); 0 without hot copies. */
  public long demotions() {
    return hot == null ? 0 : hot.dropped();
  }

  /** Returns how many entries moved from MapDB down to RocksDB as they cooled (under a warm budget). */
  public long cooled() {
    return cooled.sum();
  }

  /** Returns how many hot copies the heap holds now, or -1 when this composite keeps none. */
  public long hotCopies() {
    return hot == null ? -1 : hot.size();
  }

  /** Returns the bytes the hot copies weigh now, or -1 when this composite keeps none. */
  public long hotCopyBytes() {
    return hot == null ? -1 : hot.weight();
  }

  /**
   * Forgets the hot copy of {@code key}: a tier dropped the entry by itself (capacity, reclaimed expiry). Called
   * by the tiers' listeners, after the record is gone.
   */
  public void forgetCopy(K key) {
    if (hot != null) {
      hot.invalidate(key);
    }
  }

  /** What a copy weighs: its serialized record, plus what its objects cost beyond it (a rough allowance). */
  private static int weight(Envelope copy) {
    return ((HotCopy) copy).weight();
  }

  /**
   * Offers a copy of an entry read from byte-storing tier {@code index}: shared by later readers, decoded by the
   * first of them. The reader itself keeps the envelope it read, whose value is its own.
   */
  private void offerCopy(Probe<K> probe, int index, long stamp, Envelope found) {
    Envelope copy = copyOf(probe, index, found);
    if (copy != null) {
      hot.offer(probe.key, stamp, copy);
    }
  }

  /** A hot copy of a record tier {@code index} holds for the probed key, or null when none is kept. */
  private Envelope copyOf(Probe<K> probe, int index, Envelope stored) {
    SerializedTier<K> tier = slots.get(index).bytes();
    byte[] record = stored == null ? null : stored.record();
    if (hot == null || tier == null || record == null || record.length > copyMaxBytes
        || stored.encoder() != tier.serializer()) {
      return null;
    }
    return new HotCopy(stored.expireAtMillis(), record, tier.valueDecoder(probe.keyBytes(tier.serializer())));
  }

  /**
   * The copy of what a write just stored, kept as a cache backed by nothing would keep the value written (the
   * copies' policy decides whether it stays), or null. Only when the envelope's record is the very record
   * stored (its header stamped in place by this write, with this write's sequence): a copy must carry the
   * stored bytes, which an expiry update compares with the store's.
   */
  private Envelope copyOfWrite(Probe<K> probe, int index, Envelope stored, long sequence) {
    byte[] record = stored == null ? null : stored.record();
    if (record == null || record.length < RecordFormat.HEADER_BYTES || record[0] != RecordFormat.VERSION
        || RecordFormat.sequence(record) != sequence || RecordFormat.expireAt(record) != stored.expireAtMillis()) {
      return null;
    }
    return copyOf(probe, index, stored);
  }

  private void beginWrite(K key) {
    if (hot != null) {
      hot.beginWrite(key);
    }
  }

  private void endWrite(K key) {
    if (hot != null) {
      hot.endWrite(key);
    }
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

  private Probe<K> probe(K key) {
    return new Probe<>(key, serializer);
  }

  /** Returns the index of the tier the strategy picks for an entry (for tests). */
  int route(K key, Object value) {
    return placement.route(key, value);
  }

  @Override
  public Prepared prepare(K key, Object value) {
    return placement.prepare(key, value);
  }

  @Override
  public Envelope get(K key) {
    if (placement.keyOnly) {
      int index = placement.routeKey(key);
      return lookups.counted(index, slots.get(index).read(probe(key)));
    }
    if (hot != null) {
      Envelope copy = hot.get(key);
      if (copy != null) {
        return lookups.probed(0, copy);
      }
    }
    int stripe = locks.stripeOf(key);
    long before = moves.version(stripe);
    long stamp = hot == null ? -1 : hot.stamp(key); // before the probes: a write overlapping them voids it
    if ((before & 1) == 0 && !moves.isUnsettled(key)) {
      if (firstHoldsObjects) {
        // the usual layout puts the heap first: a hit there needs no probe object and no key bytes
        Envelope envelope = tiers.get(0).get(key);
        if (envelope != null) {
          return lookups.probed(0, envelope);
        }
      }
      Probe<K> probe = probe(key);
      for (int i = firstHoldsObjects ? 1 : 0; i < slots.size(); i++) {
        Envelope envelope = slots.get(i).read(probe);
        if (envelope != null) {
          if (hot != null && stamp >= 0) {
            offerCopy(probe, i, stamp, envelope);
          }
          return lookups.probed(i, envelope);
        }
      }
      if (moves.version(stripe) == before) {
        lookups.missed();
        return null;
      }
    }
    ReentrantLock lock = locks.stripe(stripe);
    lock.lock();
    try {
      Location found = locate(probe(key));
      if (found.index() < 0) {
        lookups.missed();
        return null;
      }
      return lookups.probed(found.index(), found.envelope()); // key-only strategies never get here
    } finally {
      lock.unlock();
    }
  }

  /** Returns the index of the tier holding {@code key} now, or -1 (for tests). */
  int tierOf(K key) {
    return locateUnderLock(key).index();
  }

  /** Reads a key under its stripe, without counting the lookup. */
  private Envelope reread(K key) {
    return locateUnderLock(key).envelope();
  }

  private Location locateUnderLock(K key) {
    ReentrantLock lock = locks.stripe(locks.stripeOf(key));
    lock.lock();
    try {
      return locate(probe(key));
    } finally {
      lock.unlock();
    }
  }

  /** Where a key is: its tier's index and record, or index -1. Called under the key's stripe. */
  private Location locate(Probe<K> probe) {
    if (placement.keyOnly) {
      int index = placement.routeKey(probe.key);
      Envelope envelope = slots.get(index).read(probe);
      return new Location(envelope == null ? -1 : index, envelope);
    }
    if (moves.isUnsettled(probe.key)) {
      return moves.newestCopy(probe);
    }
    for (int i = 0; i < slots.size(); i++) {
      Envelope envelope = slots.get(i).read(probe);
      if (envelope != null) {
        return new Location(i, envelope);
      }
    }
    return Location.NOWHERE;
  }

  @Override
  public Envelope compute(K key, EnvelopeRemapper<K> remapper) {
    Probe<K> probe = probe(key);
    int stripe = locks.stripeOf(key);
    ReentrantLock lock = locks.stripe(stripe);
    Envelope result = null;
    int written = -1;
    long sequence = 0;
    boolean unchanged = false;
    lock.lock();
    if (hot != null) {
      hot.beginUpdate(key);
    }
    try {
      Location found = locate(probe);
      if (moves.isUnsettled(key)) {
        // a stale copy that cannot be deleted would come back after a removal, or be counted twice
        throw new TierException("Composite " + names + ": an entry left in two tiers by a failed move cannot be"
            + " settled yet (a tier refuses to delete); reads return its newest copy, writes wait until it settles",
            null);
      }
      Envelope replacement = remapper.remap(key, found.envelope());
      if (replacement == found.envelope()) {
        unchanged = true;
        return replacement;
      }
      if (replacement == null) {
        slots.get(found.index()).delete(probe, found.envelope());
        return null;
      }
      int target = targetOf(key, replacement, found);
      sequence = SerializedTier.sequenceOf(found.envelope()) + 1;
      if (found.index() < 0 || found.index() == target) {
        result = slots.get(target).write(probe, found.envelope(), replacement, sequence);
      } else {
        result = moves.move(probe, found, target, replacement, sequence, stripe);
      }
      written = target;
    } finally {
      try {
        if (hot != null && unchanged) {
          hot.endUnchanged(key);
        } else if (hot != null) { // the write committed if written >= 0; the key is still locked either way
          hot.endUpdate(key, written >= 0 ? copyOfWrite(probe, written, result, sequence) : null);
        }
      } finally {
        lock.unlock();
      }
    }
    for (Slot<K> slot : slots) {
      slot.settle();
    }
    coolIfOver();
    return result;
  }

  /**
   * Under a warm budget, moves the least-read entries of MapDB down to RocksDB until MapDB holds a tenth less
   * than the budget: each time the coldest of a small random sample (by the read frequencies the hot copies
   * keep; any of the sample without them). One thread cools at a time, the others go on; the caller holds no
   * stripe. A move is the composite's crash-safe move: written below, then deleted above, never lost.
   */
  private void coolIfOver() {
    if (warmBudget <= 0 || tiers.get(warmIndex).bytes() <= warmBudget || !cooling.tryLock()) {
      return;
    }
    try {
      long target = warmBudget - warmBudget / 10;
      SerializedTier<K> warm = slots.get(warmIndex).bytes();
      for (int moved = 0; moved < MAX_COOLED_PER_WRITE && warm.bytes() > target; moved++) {
        K coldest = null;
        int least = Integer.MAX_VALUE;
        for (K candidate : warm.sampleKeys(COOLING_SAMPLE)) {
          int frequency = hot == null ? 0 : hot.frequency(candidate);
          if (frequency < least) {
            least = frequency;
            coldest = candidate;
          }
        }
        if (coldest == null) {
          return;
        }
        moveDown(coldest);
      }
    } catch (RuntimeException e) {
      // the write that triggered this committed and must not fail: the entry stays where it is, warm or not
      LOG.warn("Composite {} could not move a cold entry from MapDB to RocksDB: {}", names, e.toString());
    } finally {
      cooling.unlock();
    }
    for (Slot<K> slot : slots) {
      slot.settle();
    }
  }

  /** Moves {@code key}'s entry from MapDB to RocksDB, if it is still in MapDB, as a write of the same value. */
  private void moveDown(K key) {
    Probe<K> probe = probe(key);
    int stripe = locks.stripeOf(key);
    ReentrantLock lock = locks.stripe(stripe);
    lock.lock();
    beginWrite(key); // the copy, if any, stood for the record in MapDB
    try {
      Location found = locate(probe);
      if (found.index() != warmIndex || moves.isUnsettled(key)) {
        return;
      }
      moves.move(probe, found, coldIndex, found.envelope(), SerializedTier.sequenceOf(found.envelope()) + 1, stripe);
      cooled.increment();
    } finally {
      endWrite(key);
      lock.unlock();
    }
  }

  /** The tier a replacement goes to: where {@link #prepare} placed it, else where its value already is. */
  private int targetOf(K key, Envelope replacement, Location found) {
    if (replacement.placement() >= 0) {
      return replacement.placement();
    }
    if (found.index() >= 0 && sameValue(replacement, found.envelope())) {
      return found.index(); // same value, new expiry: it stays where it is
    }
    return placement.route(key, replacement.value());
  }

  /** True when both envelopes hold the very same value: the same object, or the same stored bytes. */
  private static boolean sameValue(Envelope replacement, Envelope current) {
    if (replacement.record() != null || current.record() != null) {
      return replacement.record() == current.record(); // decided without decoding either value
    }
    return replacement.value() == current.value();
  }

  @Override
  public void updateExpiry(K key, Envelope envelope, long expireAtMillis) {
    ReentrantLock lock = locks.lockFor(key);
    lock.lock();
    beginWrite(key);
    try {
      Location found = locate(probe(key));
      if (found.index() >= 0) {
        // a hot copy stands for the record it was made of: the tier compares its own record, if still that one
        Envelope current = envelope instanceof HotCopy && envelope.sameRecord(found.envelope()) ? found.envelope()
            : envelope;
        tiers.get(found.index()).updateExpiry(key, current, expireAtMillis);
      }
    } finally {
      endWrite(key);
      lock.unlock();
    }
  }

  @Override
  public Map<K, Envelope> getAll(Iterable<? extends K> keys) {
    List<K> requested = new ArrayList<>();
    keys.forEach(requested::add);
    long[] before = new long[requested.size()];
    for (int i = 0; i < requested.size(); i++) {
      before[i] = moves.version(locks.stripeOf(requested.get(i)));
    }
    Map<K, Envelope> found = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>(requested);
    // each key's stamp, taken before any tier is read: a write overlapping the batch voids its key's copy
    Map<K, Long> stamps = hot == null ? Map.of() : new HashMap<>();
    Map<K, Integer> foundIn = hot == null ? Map.of() : new HashMap<>();
    if (hot != null) {
      for (K key : requested) {
        stamps.put(key, hot.stamp(key));
      }
      int copies = 0;
      for (K key : requested) {
        Envelope copy = hot.get(key);
        if (copy != null) {
          found.put(key, copy);
          copies++;
        }
      }
      missing.removeAll(found.keySet());
      lookups.batch(0, requested.size(), copies);
    }
    for (Tier<K> tier : tiers) {
      if (missing.isEmpty()) {
        break;
      }
      if (hot != null && tier == tiers.get(0)) {
        continue; // the copies stand for the heap tier, asked above
      }
      Map<K, Envelope> hitsHere = tier.getAll(missing);
      int index = tiers.indexOf(tier);
      lookups.batch(index, missing.size(), hitsHere.size());
      found.putAll(hitsHere);
      if (hot != null) {
        hitsHere.keySet().forEach(key -> foundIn.put(key, index));
      }
      missing.removeAll(hitsHere.keySet());
    }
    // a key missed everywhere while its stripe was moving something, or unsettled, is read again under the lock
    for (int i = 0; i < requested.size(); i++) {
      K key = requested.get(i);
      boolean moved = moves.version(locks.stripeOf(key)) != before[i] || (before[i] & 1) == 1;
      if ((!found.containsKey(key) && moved) || moves.isUnsettled(key)) {
        Envelope envelope = reread(key); // counted once already, by the batch above
        if (envelope != null) {
          found.put(key, envelope);
        }
      } else if (!moved && foundIn.containsKey(key) && stamps.get(key) >= 0) {
        // read from a byte tier on a quiet stripe, as a single get offers it: promoted like one
        offerCopy(probe(key), foundIn.get(key), stamps.get(key), found.get(key));
      }
    }
    lookups.batchMissed(requested.size() - found.size());
    return found;
  }

  @Override
  public Iterator<Map.Entry<K, Envelope>> iterator() {
    return new CompositeIterator<>(tiers);
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
  public long dropped() {
    long dropped = 0;
    for (Tier<K> tier : tiers) {
      dropped += tier.dropped();
    }
    return dropped;
  }

  @Override
  public boolean destroyKeys() {
    boolean destroyed = false;
    for (Tier<K> tier : tiers) {
      destroyed |= tier.destroyKeys();
    }
    return destroyed;
  }

  @Override
  public void clear() {
    locks.lockAll(); // no write may move an entry into a tier already cleared
    try {
      for (Tier<K> tier : tiers) {
        tier.clear();
      }
      moves.cleared();
      if (hot != null) {
        hot.invalidateAll();
      }
    } finally {
      locks.unlockAll();
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
}
