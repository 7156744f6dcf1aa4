package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.internal.UsageState;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reservations of one task over two stores: the snapshots, written on transitions, and the usage fields of live
 * reservations ({@link UsageFields}), written per chunk instead of the whole snapshot. A reservation read is its
 * snapshot with its usage record's newer fields, when it has one; writing the whole snapshot deletes the usage
 * record, so the two never disagree. The most recently used reservations are kept as objects, so that the next event
 * of a live stream does not decode it again. Writes go straight through to the stores (and from there to their
 * changelogs, within the transaction), so the stores stay the truth and the objects are only a read cache.
 *
 * <p>Sound because the task's processor is the stores' only writer and a new processor instance, with an empty cache,
 * is initialised whenever the stores are restored or rolled back (a rebalance, a dirty close after an aborted
 * transaction). A transition that fails half-way may have changed its snapshot in place: the caller must
 * {@link #forget} it, so the next read decodes the stored values again.
 */
final class LiveReservations {

    private final KeyValueStore<String, ReservationSnapshot> store;
    private final KeyValueStore<String, UsageState> usage;
    private final Map<String, ReservationSnapshot> recent;
    /** Reservations among {@link #recent} that have a usage record in the store. */
    private final Set<String> withUsage = new HashSet<>();

    /**
     * @param store    the task's reservations store
     * @param usage    the task's store of usage records
     * @param capacity snapshots kept as objects, least recently used dropped first
     */
    LiveReservations(final KeyValueStore<String, ReservationSnapshot> store,
                     final KeyValueStore<String, UsageState> usage, final int capacity) {
        this.store = store;
        this.usage = usage;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, ReservationSnapshot> eldest) {
                final boolean full = size() > capacity;
                if (full) {
                    withUsage.remove(eldest.getKey());
                }
                return full;
            }
        };
    }

    /** The stored reservation, or null. The caller may change it in place, then must store or forget it. */
    ReservationSnapshot get(final String id) {
        final ReservationSnapshot cached = recent.get(id);
        if (cached != null) {
            return cached;
        }
        final ReservationSnapshot stored = store.get(id);
        final UsageState newer = usage.get(id);
        if (stored == null) {
            // A usage record exists only beside a snapshot, so newer is null too; reading it anyway tells the usage
            // store that the id is new, and a usage record created and deleted before the next commit (a stream that
            // opens and ends within one interval) then never reaches RocksDB or the changelog.
            return null;
        }
        final ReservationSnapshot reservation = newer == null ? stored : UsageFields.over(stored, newer);
        recent.put(id, reservation);
        if (newer != null) {
            withUsage.add(id);
        }
        return reservation;
    }

    /** Stores the whole snapshot. */
    void put(final String id, final ReservationSnapshot snapshot) {
        store.put(id, snapshot);
        dropUsage(id);
        recent.put(id, snapshot);
    }

    /** Stores only the usage fields of the snapshot: the rest must be as stored. */
    void putUsage(final String id, final ReservationSnapshot snapshot) {
        usage.put(id, UsageFields.of(snapshot));
        recent.put(id, snapshot);
        withUsage.add(id);
    }

    void delete(final String id) {
        store.delete(id);
        dropUsage(id);
        recent.remove(id);
    }

    /** Drops the object of a reservation, which may have been changed without being stored. */
    void forget(final String id) {
        recent.remove(id);
        withUsage.remove(id);
    }

    private void dropUsage(final String id) {
        // Only a reservation read or written by this instance is in recent; for any other, ask the store (which knows
        // the ids it just found absent without asking RocksDB again).
        final boolean known = recent.containsKey(id) ? withUsage.remove(id) : usage.get(id) != null;
        if (known) {
            // put(null), not delete: a delete reads the old value first.
            usage.put(id, null);
        }
    }
}
