package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.topology.state.StateStores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reservations of one task over two stores: the snapshots, written on transitions, and the usage fields of live
 * reservations ({@link UsageFields}), written per chunk instead of the whole snapshot. A reservation read is its
 * snapshot with its usage record's newer fields, when it has one; writing the whole snapshot deletes the usage
 * record, so the two never disagree. The most recently used reservations are kept as objects, so that the next event
 * of a live stream does not decode it again. Every write is handed to the stores at once (which write it to RocksDB
 * and the changelog before the commit), so the stores stay the truth and the objects are only a read cache.
 *
 * <p>Snapshots are serialized here, when written, and stored as bytes: the caller goes on changing its object in
 * place, and the store holds the writes of a commit interval until it is flushed.
 *
 * <p>Sound because the task's processor is the stores' only writer and a new processor instance, with an empty cache,
 * is initialised whenever the stores are restored or rolled back (a rebalance, a dirty close after an aborted
 * transaction). A transition that fails half-way may have changed its snapshot in place: the caller must
 * {@link #forget} it, so the next read decodes the stored values again.
 */
final class LiveReservations {

    private final KeyValueStore<String, byte[]> snapshots;
    private final Serializer<ReservationSnapshot> encoder;
    private final Deserializer<ReservationSnapshot> decoder;
    private final KeyValueStore<String, UsageState> usage;
    private final Map<String, Live> recent;
    /**
     * The entry read last: a transition reads its reservation and then writes it, and events of one stream come in
     * runs, so this spares most of the lookups in {@link #recent}.
     */
    private Live last;

    /** A reservation kept as an object, and whether it has a usage record in the store. */
    private static final class Live {
        private final String id;
        private final ReservationSnapshot snapshot;
        private boolean withUsage;

        private Live(final String id, final ReservationSnapshot snapshot, final boolean withUsage) {
            this.id = id;
            this.snapshot = snapshot;
            this.withUsage = withUsage;
        }
    }

    /**
     * @param snapshots the task's reservations store, of snapshots serialized with {@code serde}
     * @param usage     the task's store of usage records
     * @param capacity  snapshots kept as objects, least recently used dropped first
     */
    LiveReservations(final KeyValueStore<String, byte[]> snapshots, final Serde<ReservationSnapshot> serde,
                     final KeyValueStore<String, UsageState> usage, final int capacity) {
        this.snapshots = snapshots;
        this.encoder = serde.serializer();
        this.decoder = serde.deserializer();
        this.usage = usage;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Live> eldest) {
                final boolean full = size() > capacity;
                if (full && eldest.getValue() == last) {
                    last = null;
                }
                return full;
            }
        };
    }

    /** The stored reservation, or null. The caller may change it in place, then must store or forget it. */
    ReservationSnapshot get(final String id) {
        final Live cached = find(id);
        if (cached != null) {
            return cached.snapshot;
        }
        final byte[] stored = snapshots.get(id);
        final UsageState newer = usage.get(id);
        if (stored == null) {
            // A usage record exists only beside a snapshot, so newer is null too; reading it anyway tells the usage
            // store that the id is new, and a usage record created and deleted before the next commit (a stream that
            // opens and ends within one interval) then never reaches RocksDB or the changelog.
            return null;
        }
        final ReservationSnapshot snapshot = decode(stored);
        return remember(id, newer == null ? snapshot : UsageFields.over(snapshot, newer), newer != null).snapshot;
    }

    /** Stores the whole snapshot. */
    void put(final String id, final ReservationSnapshot snapshot) {
        snapshots.put(id, encoder.serialize(StateStores.RESERVATIONS, snapshot));
        dropUsage(id);
        final Live live = find(id);
        if (live == null || live.snapshot != snapshot) {
            remember(id, snapshot, false);
        }
    }

    /** Stores only the usage fields of the snapshot: the rest must be as stored. */
    void putUsage(final String id, final ReservationSnapshot snapshot) {
        usage.put(id, UsageFields.of(snapshot));
        final Live live = find(id);
        if (live == null || live.snapshot != snapshot) {
            remember(id, snapshot, true);
        } else {
            live.withUsage = true;
        }
    }

    void delete(final String id) {
        // put(null), not delete: a delete reads the old value first.
        snapshots.put(id, null);
        dropUsage(id);
        forget(id);
    }

    /** Drops the object of a reservation, which may have been changed without being stored. */
    void forget(final String id) {
        recent.remove(id);
        if (last != null && last.id.equals(id)) {
            last = null;
        }
    }

    /**
     * Reads every stored reservation, once when the task starts and never on the per-record path: counts the active
     * ones, so the gauge is right after a restore, and adds to {@code unaudited} those with events not audited yet
     * (in their usage record when they have one, which is newer than their snapshot), so a crash before their audit
     * loses none.
     *
     * @return the active reservations
     */
    long scan(final Set<String> unaudited) {
        long active = 0;
        try (KeyValueIterator<String, byte[]> all = snapshots.all()) {
            while (all.hasNext()) {
                final KeyValue<String, byte[]> entry = all.next();
                final ReservationSnapshot snapshot = decode(entry.value);
                if (snapshot.getStatus() == ReservationStatus.ACTIVE) {
                    active++;
                }
                if (snapshot.getUnauditedEvents() > 0) {
                    unaudited.add(entry.key);
                }
            }
        }
        try (KeyValueIterator<String, UsageState> all = usage.all()) {
            while (all.hasNext()) {
                final KeyValue<String, UsageState> entry = all.next();
                if (entry.value.getUnauditedEvents() > 0) {
                    unaudited.add(entry.key);
                } else {
                    unaudited.remove(entry.key);
                }
            }
        }
        return active;
    }

    private ReservationSnapshot decode(final byte[] stored) {
        return decoder.deserialize(StateStores.RESERVATIONS, stored);
    }

    private Live find(final String id) {
        if (last != null && last.id.equals(id)) {
            return last;
        }
        final Live live = recent.get(id);
        if (live != null) {
            last = live;
        }
        return live;
    }

    private Live remember(final String id, final ReservationSnapshot snapshot, final boolean withUsage) {
        final Live live = new Live(id, snapshot, withUsage);
        recent.put(id, live);
        last = live;
        return live;
    }

    private void dropUsage(final String id) {
        // Only a reservation read or written by this instance is in recent; for any other, ask the store (which knows
        // the ids it just found absent without asking RocksDB again).
        final Live live = find(id);
        final boolean known = live != null ? live.withUsage : usage.get(id) != null;
        if (live != null) {
            live.withUsage = false;
        }
        if (known) {
            // put(null), not delete: a delete reads the old value first.
            usage.put(id, null);
        }
    }
}
