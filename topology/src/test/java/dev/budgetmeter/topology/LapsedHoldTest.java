package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.HoldLapse;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hold that passes {@code expires_at + grace} before the topology settles it has lapsed: the authority refuses a
 * Commit or Release then (410) and returns the hold itself. So none is sent; the lapse is audited with how late it
 * was, and the usage is charged as Debits (the protocol's direct charge), gathered so that a stream that lapsed
 * becomes one Debit, not one per chunk. Holds here: ttl 4 s, grace 1 s, so the hold lapses after T0 + 5 s.
 */
class LapsedHoldTest {

    private static final long TTL_MS = 4_000;
    private static final long GRACE_MS = 1_000;
    private static final long LAPSES_AFTER = T0 + TTL_MS + GRACE_MS;

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    private static dev.budgetmeter.schemas.StreamEvent shortHold(final String id) {
        return reserve(id, T0, body -> body.setTtlMs(TTL_MS).setGracePeriodMs(GRACE_MS));
    }

    @Test
    void a_task_that_ran_no_timer_past_the_grace_period_records_a_lapse_and_debits_instead_of_committing() {
        meter.send(shortHold("r1"), chunk("r1", 1, T0, 40));

        // One step of 20 s: the task ran no punctuation meanwhile, as when its instance was down.
        meter.advance(Duration.ofSeconds(20));
        assertThat(meter.commands()).as("no Extend, Commit or Release the authority must refuse").isEmpty();
        final AuditRecord lapsed = single(meter.audits().stream().filter(a -> a.getKind() == AuditKind.HOLD_LAPSED)
                .toList());
        final ReservationSnapshot snapshot = lapsed.getSnapshot();
        assertThat(snapshot.getStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(snapshot.getSettlementCause()).isEqualTo(SettlementCause.HOLD_LAPSED);
        assertThat(snapshot.getLapse()).isEqualTo(new HoldLapse(LAPSES_AFTER, T0 + 20_000));
        assertThat(lapsed.getDetail()).contains((T0 + 20_000 - LAPSES_AFTER) + " ms");

        meter.advance(Duration.ofSeconds(1));
        final Debit debit = (Debit) single(meter.commands()).getBody();
        assertThat(debit.getActual().getAmount()).isEqualTo(40_000);
        assertThat(debit.getReason()).isEqualTo("hold_lapsed");
    }

    @Test
    void an_end_read_after_the_grace_period_gets_no_commit_and_the_whole_usage_is_one_debit() {
        // No timer runs within the test (punctuation every hour): only the event path sees the lapse.
        try (MeteringDriver untimed = new MeteringDriver(Map.of(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG,
                3_600_000L))) {
            untimed.send(shortHold("r1"), chunk("r1", 1, T0, 40));
            untimed.advance(Duration.ofSeconds(10));

            untimed.send(chunk("r1", 2, untimed.now(), 10), end("r1", 3, untimed.now(), Outcome.COMPLETED, null));

            final List<BudgetCommand> commands = untimed.commands();
            assertThat(commands).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:debit:1");
            assertThat(((Debit) commands.get(0).getBody()).getActual().getAmount()).isEqualTo(50_000);
            assertThat(untimed.auditKinds()).containsSubsequence(AuditKind.HOLD_LAPSED, AuditKind.LATE_EVENT,
                    AuditKind.LATE_EVENT, AuditKind.DEBITED);
        }
    }

    @Test
    void a_reserve_read_after_its_hold_lapsed_opens_a_lapsed_reservation() {
        meter.advance(Duration.ofSeconds(30));

        meter.send(shortHold("r1"), chunk("r1", 1, T0 + 1, 5), end("r1", 2, T0 + 2, Outcome.COMPLETED, null));

        assertThat(meter.auditKinds()).startsWith(AuditKind.RESERVED, AuditKind.HOLD_LAPSED);
        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:debit:1");
    }

    @Test
    void a_lapsed_reservation_with_nothing_billable_issues_nothing_and_ends_once() {
        meter.send(shortHold("r1"));

        meter.advance(Duration.ofSeconds(20));
        meter.advanceInSteps(Duration.ofSeconds(5));

        assertThat(meter.commands()).isEmpty();
        assertThat(meter.auditKinds()).containsOnlyOnce(AuditKind.HOLD_LAPSED);
        assertThat(meter.metricsOf("lapses-total").values()).extracting(value -> ((Number) value).doubleValue())
                .containsExactly(1.0);
    }

    @Test
    void within_the_grace_period_an_expired_hold_is_still_settled_by_a_commit() {
        try (MeteringDriver patient = new MeteringDriver(Map.of(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, 60_000L))) {
            patient.send(shortHold("r1"), chunk("r1", 1, T0, 40));

            patient.advance(Duration.ofMillis(4_500));

            final BudgetCommand commit = single(patient.commands());
            assertThat(commit.getIdempotencyKey()).isEqualTo("r1:commit");
            assertThat(commit.getIssuedAt().toEpochMilli()).isLessThanOrEqualTo(LAPSES_AFTER);
            assertThat(patient.reservation("r1").getSettlementCause()).isEqualTo(SettlementCause.HOLD_EXPIRED);
        }
    }
}
