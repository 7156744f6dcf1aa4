package dev.budgetmeter.topology.state;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.internal.LedgerHold;
import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.schemas.internal.UsageState;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The changelogged state stores of the metering topology: four of the lifecycle, three of the budget ledger. Their
 * names are fixed constants because they name the changelog topics ({@code <application.id>-<store>-changelog}):
 * renaming one loses its state.
 */
public final class StateStores {

    /** Reservation id to its latest {@link ReservationSnapshot}, serialized with {@link #snapshotSerde()}. */
    public static final String RESERVATIONS = "reservations";
    /**
     * Reservation id to the {@link UsageState} of a live reservation: the fields its chunks change, written per chunk
     * instead of the whole snapshot; newer than the same fields of its snapshot while present.
     */
    public static final String USAGE = "reservation-usage";
    /** (deadline, kind, reservation id) to nothing: the {@link DeadlineIndex}. */
    public static final String DEADLINES = "deadlines";
    /** Reservation id to the {@link OrphanBuffer} of events waiting for their Reserve. */
    public static final String ORPHANS = "orphans";

    /** The budget ledger's (tasks keyed by tenant): {@code <scope>|<unit>} to the budget's {@link Balance}. */
    public static final String BUDGETS = "budgets";
    /** The budget ledger's: reservation id to its {@link LedgerHold}. */
    public static final String LEDGER_HOLDS = "ledger-holds";
    /** The budget ledger's: budget operation id to the outcome it had, so that an operation is applied once. */
    public static final String LEDGER_OPERATIONS = "ledger-operations";

    /**
     * Keys a write-behind store of one task holds before it writes them out ahead of the commit: a few MB at most,
     * and more than one commit interval of the default exactly-once configuration brings at 100,000s of events/s.
     */
    static final int WRITE_BEHIND_KEYS = 10_000;

    private StateStores() {
    }

    /** The serde of the reservations store's values, which the lifecycle applies itself. */
    public static StateSerde<ReservationSnapshot> snapshotSerde() {
        return new StateSerde<>(ReservationSnapshot.class);
    }

    /**
     * Builders of the budget ledger's three stores, with the lifecycle's serde and the Streams cache (one write per
     * decision or operation each: the write-behind store's gain is in the lifecycle's many writes per reservation).
     */
    public static List<StoreBuilder<?>> ledgerBuilders() {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUDGETS), Serdes.String(),
                        new StateSerde<>(Balance.class)).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_HOLDS), Serdes.String(),
                        new StateSerde<>(LedgerHold.class)).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_OPERATIONS), Serdes.String(),
                        Serdes.String()).withCachingEnabled());
    }

    /**
     * Builders of the lifecycle's four stores. Their values use {@link StateSerde}, not the schema registry, so that the
     * application can always read its own state. The snapshots, the usage records and the deadlines are
     * {@link WriteBehindStore}s: a reservation's usage record updated by several chunks within one commit interval is
     * written to RocksDB and its changelog once (and not at all when the reservation opened and ended within it), a
     * snapshot written on open and on settlement within one interval once, a deadline added and removed within one
     * not at all. The orphans, a rare path, use the Streams cache.
     */
    public static List<StoreBuilder<?>> builders() {
        // Snapshots as bytes: the lifecycle serializes one when it writes it and goes on changing its object in
        // place (see LiveReservations), so the write-behind store must not hold the object. Not in the Streams cache:
        // settled snapshots stay stored for their retention, and cached they filled the thread's cache, whose
        // evictions then flushed the other stores' dirty entries almost per record.
        final StoreBuilder<KeyValueStore<String, byte[]>> reservations = new WriteBehindStoreBuilder<>(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESERVATIONS), Serdes.String(),
                        Serdes.ByteArray()), WRITE_BEHIND_KEYS);
        final StoreBuilder<KeyValueStore<Bytes, byte[]>> deadlines = new WriteBehindStoreBuilder<>(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES), Serdes.Bytes(),
                        Serdes.ByteArray()), WRITE_BEHIND_KEYS);
        final StoreBuilder<KeyValueStore<String, OrphanBuffer>> orphans = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ORPHANS), Serdes.String(),
                new StateSerde<>(OrphanBuffer.class))
                .withCachingEnabled();
        final StoreBuilder<KeyValueStore<String, UsageState>> usage = new WriteBehindStoreBuilder<>(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USAGE), Serdes.String(),
                        new StateSerde<>(UsageState.class)), WRITE_BEHIND_KEYS);
        return List.of(reservations, usage, deadlines, orphans);
    }
}
