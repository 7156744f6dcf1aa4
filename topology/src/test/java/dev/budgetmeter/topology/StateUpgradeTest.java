package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State left by the version before the two clocks (one deadline per reservation, keyed deadline first) is still
 * handled after an upgrade: nothing it scheduled is lost, and it moves to the current layout when it is checked.
 */
class StateUpgradeTest {

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void a_reservation_scheduled_in_the_earlier_deadline_layout_is_still_checked_and_settled() {
        meter.send(reserve("template", T0));
        final ReservationSnapshot old = ReservationSnapshot.newBuilder(meter.reservation("template"))
                .setReservationId("old").setNextCheckAtMs(T0 + 30_000).setNextInputCheckAtMs(null).build();
        meter.putReservation(old);
        meter.deadlineStore().put(legacyKey(T0 + 30_000, "old"), new byte[0]);
        meter.commands();

        meter.advanceInSteps(Duration.ofSeconds(31));

        // Both were silent for the idle timeout: the template through the current index, "old" through the legacy one.
        assertThat(meter.commands()).extracting(command -> command.getReservationId() + " "
                + ((Release) command.getBody()).getReason())
                .containsExactlyInAnyOrder("template idle_timeout", "old idle_timeout");
        assertThat(meter.deadlineStore().get(legacyKey(T0 + 30_000, "old"))).isNull();
        assertThat(meter.reservation("old").getNextInputCheckAtMs()).isNotNull();
    }

    /** The earlier layout: 8-byte big-endian deadline, kind byte 1 (a reservation's check), the id in UTF-8. */
    private static Bytes legacyKey(final long at, final String id) {
        final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(9 + bytes.length).putLong(at).put((byte) 1).put(bytes).array());
    }
}
