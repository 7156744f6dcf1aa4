package dev.budgetmeter.topology.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.schemas.internal.BufferedEvent;
import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.topology.lifecycle.Lifecycle;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The topology's state is written without any schema registry, so nothing that happens to one can corrupt it. */
class StateSerdeTest {

    private static final long T0 = 1_700_000_000_000L;

    private final StateSerde<ReservationSnapshot> snapshots =
            new StateSerde<>(ReservationSnapshot.class);
    private final StateSerde<OrphanBuffer> orphans = new StateSerde<>(OrphanBuffer.class);

    @Test
    void a_snapshot_round_trips() {
        final ReservationSnapshot snapshot = new Lifecycle(new MeteringConfig(Map.of()).policy())
                .onEvent(null, StreamEventFixture.reserve("r1", T0), "0-0", T0).snapshot();

        final byte[] bytes = snapshots.serializer().serialize("reservations-changelog", snapshot);

        assertThat(snapshots.deserializer().deserialize("reservations-changelog", bytes)).isEqualTo(snapshot);
    }

    @Test
    void the_bytes_are_avros_single_object_encoding_so_state_written_by_avros_encoder_still_reads() throws Exception {
        final ReservationSnapshot snapshot = new Lifecycle(new MeteringConfig(Map.of()).policy())
                .onEvent(null, StreamEventFixture.reserve("r1", T0), "0-0", T0).snapshot();
        final ByteBuffer avros = ReservationSnapshot.getEncoder().encode(snapshot);
        final byte[] avrosBytes = new byte[avros.remaining()];
        avros.get(avrosBytes);

        assertThat(snapshots.serializer().serialize("reservations-changelog", snapshot)).isEqualTo(avrosBytes);
        assertThat(snapshots.deserializer().deserialize("reservations-changelog", avrosBytes)).isEqualTo(snapshot);
    }

    @Test
    void a_snapshot_written_with_the_first_published_schema_reads_after_the_upgrade() throws Exception {
        final ReservationSnapshot current = new Lifecycle(new MeteringConfig(Map.of()).policy())
                .onEvent(null, StreamEventFixture.reserve("r1", T0), "0-0", T0).snapshot();
        final Schema v1 = new Schema.Parser().parse(StateSerdeTest.class.getResourceAsStream(
                "/dev/budgetmeter/schemas/published/ReservationSnapshot/v1.avsc"));
        final GenericRecord old = asVersion(current, v1);
        final ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        final byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        final ReservationSnapshot read = snapshots.deserializer().deserialize("reservations-changelog", bytes);

        assertThat(read.getReservationId()).isEqualTo("r1");
        assertThat(read.getExpiresAtMs()).isEqualTo(current.getExpiresAtMs());
        assertThat(read.getNextCheckAtMs()).isEqualTo(current.getNextCheckAtMs());
        assertThat(read.getNextInputCheckAtMs()).as("a field v1 did not have: its default").isNull();
        assertThat(read.getLapse()).isNull();
    }

    /** The record as the older schema's writer had it: the same values, field by field, without newer fields. */
    private static GenericRecord asVersion(final ReservationSnapshot snapshot, final Schema schema) throws Exception {
        final ByteBuffer current = ReservationSnapshot.getEncoder().encode(snapshot);
        final GenericRecord full = new BinaryMessageDecoder<GenericRecord>(GenericData.get(),
                ReservationSnapshot.getClassSchema()).decode(current);
        final GenericRecord old = new GenericData.Record(schema);
        for (final Schema.Field field : schema.getFields()) {
            old.put(field.name(), full.get(field.name()));
        }
        return old;
    }

    @Test
    void bytes_after_the_value_fail_clearly() {
        final byte[] bytes = snapshots.serializer().serialize("reservations-changelog",
                new Lifecycle(new MeteringConfig(Map.of()).policy())
                        .onEvent(null, StreamEventFixture.reserve("r1", T0), "0-0", T0).snapshot());
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> snapshots.deserializer().deserialize("reservations", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("left over");
    }

    @Test
    void buffered_events_keep_their_timestamps() {
        final OrphanBuffer buffer = new OrphanBuffer("r1", T0,
                List.of(new BufferedEvent(StreamEventFixture.chunk("r1", 1, T0, 5),
                "budget.stream-events", 2, 42L, T0, ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2}))));

        final OrphanBuffer back = orphans.deserializer().deserialize("orphans",
                orphans.serializer().serialize("orphans", buffer));

        assertThat(back).isEqualTo(buffer);
        assertThat(back.getEvents().get(0).getEvent().getOccurredAt().toEpochMilli()).isEqualTo(T0);
    }

    @Test
    void null_is_a_tombstone_both_ways() {
        assertThat(snapshots.serializer().serialize("t", null)).isNull();
        assertThat(snapshots.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void bytes_of_another_schema_fail_clearly() {
        final byte[] orphanBytes = orphans.serializer().serialize("orphans",
                new OrphanBuffer("r1", T0, List.of()));

        assertThatThrownBy(() -> snapshots.deserializer().deserialize("reservations", orphanBytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("state of reservations");
    }
}
