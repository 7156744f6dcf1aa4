package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.TTL_MS;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rules 5-7, on the wall clock: extends while a stream is alive, timeouts when it goes silent, settlement before the
 * hold expires when extensions run out, and retention after settlement. Defaults: ttl 60 s, so extend lead 30 s and
 * idle timeout 30 s; punctuation every second.
 */
class HeartbeatAndTimeoutTest {

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    /** Keeps the stream alive: one chunk per second of wall clock for the given time. */
    private void streamFor(final String id, final long firstSeq, final Duration duration) {
        for (long s = 0; s < duration.toSeconds(); s++) {
            meter.send(chunk(id, firstSeq + s, meter.now(), 1));
            meter.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void live_stream_is_extended_when_its_expiry_comes_within_the_lead_without_drift() {
        meter.send(reserve("r1", T0));

        streamFor("r1", 1, Duration.ofSeconds(31));

        final BudgetCommand command = single(meter.commands());
        final Extend extend = (Extend) command.getBody();
        assertThat(command.getIdempotencyKey()).isEqualTo("r1:extend:1");
        assertThat(command.getCauseEventId()).isNull();
        assertThat(extend.getN()).isEqualTo(1);
        // Due at expiry - lead = T0 + 30 s; extend_by is relative to the current expiry, so the hold ends at now + ttl.
        assertThat(extend.getNewExpiresAtMs()).isEqualTo(T0 + 30_000 + TTL_MS);
        assertThat(extend.getExtendByMs()).isEqualTo(30_000);
        assertThat(meter.reservation("r1").getExpiresAtMs()).isEqualTo(T0 + 30_000 + TTL_MS);
        assertThat(meter.reservation("r1").getExtensions()).isEqualTo(1);
    }

    @Test
    void extends_are_numbered_and_keep_the_hold_ahead_of_a_long_stream() {
        meter.send(reserve("r1", T0));

        streamFor("r1", 1, Duration.ofSeconds(95));

        final List<BudgetCommand> commands = meter.commands();
        assertThat(commands).extracting(BudgetCommand::getIdempotencyKey)
                .containsExactly("r1:extend:1", "r1:extend:2", "r1:extend:3");
        assertThat(commands).extracting(c -> ((Extend) c.getBody()).getNewExpiresAtMs())
                .containsExactly(T0 + 90_000, T0 + 120_000, T0 + 150_000);
        assertThat(meter.reservation("r1").getExpiresAtMs()).isGreaterThan(meter.now());
    }

    @Test
    void silent_stream_with_nothing_billable_is_released_after_the_idle_timeout() {
        meter.send(reserve("r1", T0));

        meter.advanceInSteps(Duration.ofSeconds(29));
        assertThat(meter.commands()).isEmpty();
        meter.advanceInSteps(Duration.ofSeconds(2));

        final Release release = (Release) single(meter.commands()).getBody();
        assertThat(release.getReason()).isEqualTo("idle_timeout");
        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.RELEASED);
    }

    @Test
    void silent_stream_with_billable_usage_commits_it_as_partial_on_timeout() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 40));

        meter.advanceInSteps(Duration.ofSeconds(31));

        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getSettlement()).isEqualTo(Settlement.PARTIAL_ON_TIMEOUT);
        assertThat(commit.getCause()).isEqualTo(SettlementCause.IDLE_TIMEOUT);
        assertThat(commit.getActual().getAmount()).isEqualTo(40_000);
    }

    @Test
    void a_stream_that_stops_after_an_extend_is_settled_at_its_idle_timeout_and_not_extended_again() {
        meter.send(reserve("r1", T0));
        streamFor("r1", 1, Duration.ofSeconds(31));
        meter.commands();

        meter.advanceInSteps(Duration.ofSeconds(40));

        final List<BudgetCommand> after = meter.commands();
        assertThat(after).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        assertThat(((Commit) after.get(0).getBody()).getSettlement()).isEqualTo(Settlement.PARTIAL_ON_TIMEOUT);
    }

    @Test
    void when_extensions_run_out_the_stream_is_settled_before_its_hold_expires_and_says_so() {
        try (MeteringDriver limited = new MeteringDriver(Map.of(MeteringConfig.MAX_EXTENSIONS_CONFIG, 2))) {
            limited.send(reserve("r1", T0));
            long seq = 1;
            for (int quarter = 0; quarter < 400; quarter++) {
                limited.send(chunk("r1", seq++, limited.now(), 1));
                limited.advance(Duration.ofMillis(250));
            }

            // The stream goes on after its settlement: what it streams then is charged by Debits, never lost, and
            // gathered: one Debit per second at most, not one per chunk.
            final List<BudgetCommand> commands = limited.commands();
            assertThat(commands).extracting(BudgetCommand::getIdempotencyKey)
                    .startsWith("r1:extend:1", "r1:extend:2", "r1:commit", "r1:debit:1");
            final long expiry = ((Extend) commands.get(1).getBody()).getNewExpiresAtMs();
            final BudgetCommand commit = commands.get(2);
            assertThat(commit.getIssuedAt().toEpochMilli()).isLessThan(expiry);
            assertThat(((Commit) commit.getBody()).getCause()).isEqualTo(SettlementCause.EXTENSIONS_EXHAUSTED);
            assertThat(limited.reservation("r1").getSettlementCause()).isEqualTo(SettlementCause.EXTENSIONS_EXHAUSTED);
            final long streamedAfter = 100_000 - (commit.getIssuedAt().toEpochMilli() - T0);
            assertThat(commands.size() - 3L).isLessThanOrEqualTo(streamedAfter / 1_000 + 1);
            assertThat(limited.auditKinds()).containsSubsequence(AuditKind.EXTENSIONS_EXHAUSTED, AuditKind.COMMITTED,
                    AuditKind.DEBITED);
        }
    }

    @Test
    void a_hold_that_already_expired_is_never_extended_but_settled() {
        meter.send(reserve("r1", T0, body -> body.setExpiresAtMs(T0 - 1_000L)));

        meter.advance(Duration.ofSeconds(1));

        final Release release = (Release) single(meter.commands()).getBody();
        assertThat(release.getReason()).isEqualTo("hold_expired");
        assertThat(release.getCause()).isEqualTo(SettlementCause.HOLD_EXPIRED);
    }

    @Test
    void settled_reservation_is_forgotten_with_a_tombstone_after_retention() {
        try (MeteringDriver shortMemory = new MeteringDriver(Map.of(MeteringConfig.RETENTION_MS_CONFIG, 10_000L))) {
            shortMemory.send(reserve("r1", T0), end("r1", 1, T0, Outcome.COMPLETED, null));
            shortMemory.audits();

            shortMemory.advanceInSteps(Duration.ofSeconds(9));
            assertThat(shortMemory.reservation("r1")).isNotNull();
            shortMemory.advanceInSteps(Duration.ofSeconds(2));

            assertThat(shortMemory.reservation("r1")).isNull();
            assertThat(shortMemory.auditKinds()).containsExactly(AuditKind.RETIRED);
        }
    }

    @Test
    void idle_timeout_and_extend_lead_are_configurable() {
        try (MeteringDriver tuned = new MeteringDriver(Map.of(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, 5_000L,
                MeteringConfig.EXTEND_LEAD_MS_CONFIG, 55_000L))) {
            tuned.send(reserve("r1", T0));
            tuned.advance(Duration.ofSeconds(3));
            tuned.send(chunk("r1", 1, tuned.now(), 1));
            tuned.advance(Duration.ofSeconds(3));

            // Lead 55 s is capped at 90% of the 60 s ttl (54 s): the extend was due at T0 + 6 s.
            assertThat(tuned.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:extend:1");
            // The last event came at T0 + 3 s: with a 5 s idle timeout the stream is abandoned at T0 + 8 s.
            tuned.advanceInSteps(Duration.ofSeconds(2));
            assertThat(tuned.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        }
    }
}
