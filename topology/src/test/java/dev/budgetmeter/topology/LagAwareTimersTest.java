package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topology.processing.InputClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Silence is judged on the input clock: a stream is idle only once its task has read its input up to the idle
 * timeout, so a backlog (an instance restarted, or behind) never times out a live stream. Holds stay on the wall
 * clock: a task behind its input still extends them. Defaults: ttl 60 s, so extend lead 30 s and idle timeout 30 s.
 */
class LagAwareTimersTest {

    /** A task that has read its input only up to {@link #readUpTo}, or everything once {@link #catchUp} is called. */
    private static final class Backlog implements InputClock {
        private long readUpTo = T0;
        private boolean caughtUp;

        @Override
        public long processedBefore(final int partition, final long now) {
            return caughtUp ? now : readUpTo;
        }

        void catchUp() {
            caughtUp = true;
        }
    }

    private final Backlog backlog = new Backlog();
    private final MeteringDriver meter = new MeteringDriver(Map.of(), backlog);

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void a_live_stream_whose_events_wait_in_a_backlog_is_extended_and_never_settled_as_idle() {
        meter.send(reserve("r1", T0));

        meter.advanceInSteps(Duration.ofSeconds(45));
        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey)
                .as("the hold is kept on the wall clock, the stream is not judged idle").containsExactly("r1:extend:1");

        // The backlog is read: the stream was streaming all along.
        meter.send(chunk("r1", 1, T0 + 10_000, 5), chunk("r1", 2, T0 + 40_000, 5));
        backlog.catchUp();
        meter.advanceInSteps(Duration.ofSeconds(20));
        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:extend:2");
        meter.send(end("r1", 3, meter.now(), Outcome.COMPLETED, null));

        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getCause()).isEqualTo(SettlementCause.COMPLETED);
        assertThat(commit.getActual().getAmount()).isEqualTo(10_000);
    }

    @Test
    void a_stream_silent_for_the_idle_timeout_is_settled_once_the_task_has_read_that_far() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 40));
        meter.advanceInSteps(Duration.ofSeconds(40));
        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:extend:1");

        backlog.catchUp();
        meter.advance(Duration.ofSeconds(1));

        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getCause()).isEqualTo(SettlementCause.IDLE_TIMEOUT);
        assertThat(commit.getActual().getAmount()).isEqualTo(40_000);
    }

    @Test
    void events_waiting_for_their_reserve_are_kept_while_the_task_is_behind() {
        meter.send(chunk("r1", 1, T0, 5));
        meter.advanceInSteps(Duration.ofSeconds(40));
        assertThat(meter.deadLetters()).as("orphan timeout is 30 s of input").isEmpty();

        meter.send(reserve("r1", T0), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(5_000);
    }

    @Test
    void once_caught_up_orphans_time_out_as_before() {
        backlog.catchUp();
        meter.send(chunk("r1", 1, T0, 5));

        meter.advanceInSteps(Duration.ofSeconds(31));

        assertThat(meter.deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.ORPHAN);
    }

    @Test
    void a_settled_reservation_is_remembered_while_the_task_is_behind() {
        try (MeteringDriver shortMemory = new MeteringDriver(Map.of(MeteringConfig.RETENTION_MS_CONFIG, 10_000L),
                backlog)) {
            shortMemory.send(reserve("r1", T0), end("r1", 1, T0, Outcome.COMPLETED, null));
            shortMemory.advanceInSteps(Duration.ofSeconds(20));
            assertThat(shortMemory.reservation("r1")).isNotNull();

            backlog.catchUp();
            shortMemory.advance(Duration.ofSeconds(1));
            assertThat(shortMemory.reservation("r1")).isNull();
        }
    }
}
