package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.ReservationSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reservations store of one task with the most recently used snapshots kept as objects, so that the next event
 * of a live stream does not decode its reservation again. Writes go straight through to the store (and from there to
 * its changelog, within the transaction), so the store stays the truth and the objects are only a read cache.
 *
 * <p>Sound because the task's processor is the store's only writer and a new processor instance, with an empty cache,
 * is initialised whenever the store is restored or rolled back (a rebalance, a dirty close after an aborted
 * transaction). A transition that fails half-way may have changed its snapshot in place: the caller must
 * {@link #forget} it, so the next read decodes the stored value again.
 */
final class LiveReservations {

    private final KeyValueStore<String, ReservationSnapshot> store;
    private final Map<String, ReservationSnapshot> recent;

    /**
     * @param store    the task's reservations store
     * @param capacity snapshots kept as objects, least recently used dropped first
     */
    LiveReservations(final KeyValueStore<String, ReservationSnapshot> store, final int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, ReservationSnapshot> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The stored reservation, or null. The caller may change it in place, then must {@link #put} or forget it. */
    ReservationSnapshot get(final String id) {
        final ReservationSnapshot cached = recent.get(id);
        if (cached != null) {
            return cached;
        }
        final ReservationSnapshot stored = store.get(id);
        if (stored != null) {
            recent.put(id, stored);
        }
        return stored;
    }

    void put(final String id, final ReservationSnapshot snapshot) {
        store.put(id, snapshot);
        recent.put(id, snapshot);
    }

    void delete(final String id) {
        store.delete(id);
        recent.remove(id);
    }

    /** Drops the object of a reservation, which may have been changed without being stored. */
    void forget(final String id) {
        recent.remove(id);
    }
}
