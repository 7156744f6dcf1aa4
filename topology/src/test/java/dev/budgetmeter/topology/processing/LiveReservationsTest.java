package dev.budgetmeter.topology.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.lifecycle.Lifecycle;
import dev.budgetmeter.topology.state.StateSerde;
import dev.budgetmeter.topology.state.StateStores;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read cache over the reservations store never lets the store and the objects disagree on what was written. */
class LiveReservationsTest {

    private static final long T0 = 1_700_000_000_000L;

    private static final StateSerde<ReservationSnapshot> SNAPSHOTS = StateStores.snapshotSerde();

    private KeyValueStore<String, byte[]> store;
    private KeyValueStore<String, UsageState> usage;
    private LiveReservations reservations;

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("reservations"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        usage = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("reservation-usage"), Serdes.String(),
                new StateSerde<>(UsageState.class)).withLoggingDisabled().build();
        usage.init(new MockProcessorContext<>().getStateStoreContext(), usage);
        reservations = new LiveReservations(store, SNAPSHOTS, usage, 2);
    }

    @Test
    void a_put_is_written_to_the_store_and_read_back_as_the_same_object() {
        final ReservationSnapshot snapshot = opened("r1");

        reservations.put("r1", snapshot);

        assertThat(stored("r1")).isEqualTo(snapshot);
        assertThat(reservations.get("r1")).isSameAs(snapshot);
    }

    @Test
    void a_forgotten_snapshot_changed_in_place_is_read_again_as_stored() {
        reservations.put("r1", opened("r1"));
        final ReservationSnapshot halfApplied = reservations.get("r1");
        halfApplied.setChunks(99L);

        reservations.forget("r1");

        assertThat(reservations.get("r1").getChunks()).isZero();
    }

    @Test
    void a_snapshot_changed_in_place_after_it_was_written_is_stored_as_written() {
        final ReservationSnapshot snapshot = opened("r1");
        reservations.put("r1", snapshot);

        snapshot.setChunks(99L);

        assertThat(stored("r1").getChunks()).isZero();
    }

    @Test
    void beyond_its_capacity_the_least_recently_used_is_decoded_from_the_store_again() {
        final ReservationSnapshot first = opened("r1");
        reservations.put("r1", first);
        reservations.put("r2", opened("r2"));
        reservations.put("r3", opened("r3"));

        final ReservationSnapshot again = reservations.get("r1");

        assertThat(again).isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void a_delete_removes_it_from_both() {
        reservations.put("r1", opened("r1"));

        reservations.delete("r1");

        assertThat(store.get("r1")).isNull();
        assertThat(reservations.get("r1")).isNull();
    }

    @Test
    void a_usage_write_stores_only_the_usage_fields_and_a_fresh_read_sees_them_over_the_snapshot() {
        reservations.put("r1", opened("r1"));
        final ReservationSnapshot live = reservations.get("r1");
        live.setChunkTokensOutput(40L);
        live.setAppliedSeqWatermark(3L);

        reservations.putUsage("r1", live);

        assertThat(stored("r1").getChunkTokensOutput()).isZero();
        final LiveReservations restarted = new LiveReservations(store, SNAPSHOTS, usage, 2);
        assertThat(restarted.get("r1")).isEqualTo(live);
    }

    @Test
    void writing_the_whole_snapshot_deletes_its_usage_record_also_after_a_restart() {
        reservations.put("r1", opened("r1"));
        final ReservationSnapshot live = reservations.get("r1");
        live.setChunkTokensOutput(40L);
        reservations.putUsage("r1", live);

        final LiveReservations restarted = new LiveReservations(store, SNAPSHOTS, usage, 2);
        final ReservationSnapshot read = restarted.get("r1");
        read.setChunkTokensOutput(50L);
        restarted.put("r1", read);

        assertThat(usage.get("r1")).isNull();
        assertThat(new LiveReservations(store, SNAPSHOTS, usage, 2).get("r1").getChunkTokensOutput()).isEqualTo(50L);
    }

    @Test
    void a_delete_removes_the_usage_record_too() {
        reservations.put("r1", opened("r1"));
        reservations.putUsage("r1", reservations.get("r1"));

        new LiveReservations(store, SNAPSHOTS, usage, 2).delete("r1");

        assertThat(usage.get("r1")).isNull();
        assertThat(store.get("r1")).isNull();
    }

    @Test
    void an_unknown_reservation_is_null() {
        assertThat(reservations.get("nobody")).isNull();
    }

    private ReservationSnapshot stored(final String id) {
        return SNAPSHOTS.deserializer().deserialize(StateStores.RESERVATIONS, store.get(id));
    }

    private static ReservationSnapshot opened(final String id) {
        return new Lifecycle(new MeteringConfig(Map.of()).policy()).onEvent(null, StreamEventFixture.reserve(id, T0),
                "0-0", T0)
                .snapshot();
    }
}
