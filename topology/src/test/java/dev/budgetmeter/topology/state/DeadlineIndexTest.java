package dev.budgetmeter.topology.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.topology.state.DeadlineIndex.Due;
import dev.budgetmeter.topology.state.DeadlineIndex.Kind;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    private KeyValueStore<Bytes, byte[]> store;
    private DeadlineIndex index;

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("deadlines"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        index = new DeadlineIndex(store);
    }

    @Test
    void due_returns_only_deadlines_of_the_kind_up_to_the_time_earliest_first() {
        index.add(Kind.HOLD, "late", 3_000);
        index.add(Kind.HOLD, "early", 1_000);
        index.add(Kind.ORPHANS, "orphan", 2_000);
        index.add(Kind.INPUT, "early", 500);
        index.add(Kind.HOLD, "on-time", 2_000);

        assertThat(index.due(Kind.HOLD, 2_000, 100)).containsExactly(
                new Due(1_000, Kind.HOLD, "early"),
                new Due(2_000, Kind.HOLD, "on-time"));
        assertThat(index.due(Kind.INPUT, 2_000, 100)).containsExactly(new Due(500, Kind.INPUT, "early"));
        assertThat(index.due(Kind.ORPHANS, 1_999, 100)).isEmpty();
        assertThat(index.due(Kind.ORPHANS, 2_000, 100)).containsExactly(new Due(2_000, Kind.ORPHANS, "orphan"));
    }

    @Test
    void entries_of_the_earlier_layout_are_found_as_legacy_kinds_and_removed_in_their_layout() {
        store.put(DeadlineIndex.legacyKey(1_000, Kind.LEGACY_RESERVATION, "old"), new byte[0]);
        store.put(DeadlineIndex.legacyKey(1_500, Kind.LEGACY_ORPHANS, "old-orphan"), new byte[0]);
        index.add(Kind.HOLD, "new", 1_200);

        final var legacy = index.due(Kind.LEGACY_RESERVATION, 2_000, 100);
        assertThat(legacy).containsExactly(new Due(1_000, Kind.LEGACY_RESERVATION, "old"),
                new Due(1_500, Kind.LEGACY_ORPHANS, "old-orphan"));
        assertThat(index.due(Kind.HOLD, 2_000, 100)).containsExactly(new Due(1_200, Kind.HOLD, "new"));
        legacy.forEach(index::remove);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void due_stops_at_the_limit_and_what_is_left_stays_due() {
        for (int i = 0; i < 10; i++) {
            index.add(Kind.HOLD, "r" + i, 1_000 + i);
        }

        final var first = index.due(Kind.HOLD, 5_000, 3);
        assertThat(first).extracting(Due::reservationId).containsExactly("r0", "r1", "r2");
        first.forEach(index::remove);
        assertThat(index.due(Kind.HOLD, 5_000, 3)).extracting(Due::reservationId).containsExactly("r3", "r4", "r5");
    }

    @Test
    void a_deadline_added_below_what_was_already_scanned_is_still_found() {
        index.add(Kind.HOLD, "r1", 1_000);
        index.due(Kind.HOLD, 2_000, 100).forEach(index::remove);

        index.add(Kind.HOLD, "overdue", 500);
        index.move(Kind.HOLD, "same", null, 1_500L);
        index.move(Kind.HOLD, "same", 1_500L, 1_500L);

        assertThat(index.due(Kind.HOLD, 2_000, 100)).extracting(Due::reservationId).containsExactly("overdue", "same");
    }

    @Test
    void a_scan_does_not_walk_again_what_earlier_scans_handled() {
        for (int i = 0; i < 1_000; i++) {
            index.add(Kind.HOLD, "r" + i, i);
        }
        index.due(Kind.HOLD, 999, Integer.MAX_VALUE).forEach(index::remove);
        index.add(Kind.HOLD, "next", 1_500);

        assertThat(index.due(Kind.HOLD, 1_400, 10)).isEmpty();
        assertThat(index.due(Kind.HOLD, 1_500, 10)).containsExactly(new Due(1_500, Kind.HOLD, "next"));
    }

    @Test
    void the_scan_reads_only_what_is_due_however_many_deadlines_lie_ahead() {
        for (int i = 0; i < 50_000; i++) {
            index.add(Kind.HOLD, "future-" + i, 1_000_000 + i);
        }
        index.add(Kind.HOLD, "due", 10);

        assertThat(index.due(Kind.HOLD, 500, Integer.MAX_VALUE)).containsExactly(new Due(10, Kind.HOLD, "due"));
    }

    @Test
    void move_replaces_the_entry_and_ignores_a_move_to_the_same_deadline() {
        index.move(Kind.HOLD, "r", null, 1_000L);
        index.move(Kind.HOLD, "r", 1_000L, 1_000L);
        index.move(Kind.HOLD, "r", 1_000L, 4_000L);

        assertThat(index.due(Kind.HOLD, Long.MAX_VALUE, 100)).containsExactly(new Due(4_000, Kind.HOLD, "r"));
        index.move(Kind.HOLD, "r", 4_000L, null);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void reservation_ids_of_any_characters_round_trip() {
        index.add(Kind.ORPHANS, "réservation/ü:1", 7);

        assertThat(index.due(Kind.ORPHANS, 7, 1)).containsExactly(new Due(7, Kind.ORPHANS, "réservation/ü:1"));
    }
}
