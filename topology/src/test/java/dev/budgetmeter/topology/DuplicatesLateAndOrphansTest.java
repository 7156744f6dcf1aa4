package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.usage;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.UsageCovered;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules 1, 2, 7 and 8: duplicates are ignored, late usage becomes a Debit, orphans wait for their Reserve. */
class DuplicatesLateAndOrphansTest {

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void the_same_reserve_again_is_ignored_and_audited_as_a_duplicate() {
        meter.send(reserve("r1", T0), reserve("r1", T0));

        assertThat(meter.auditKinds()).containsExactly(AuditKind.RESERVED, AuditKind.DUPLICATE_IGNORED);
        assertThat(meter.deadLetters()).isEmpty();
    }

    @Test
    void a_different_reserve_under_the_same_id_is_dead_lettered_as_a_conflict() {
        meter.send(reserve("r1", T0));
        final StreamEvent other = reserve("r1", T0, body -> body.setEstimate(new Amount(Unit.USD_MICROCENTS, 5L)));
        other.setEventId("another-event");
        meter.send(other);

        final DeadLetter deadLetter = single(meter.deadLetters());
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.RESERVE_CONFLICT);
        assertThat(deadLetter.getReservationId()).isEqualTo("r1");
        assertThat(deadLetter.getValue()).isNotNull();
        assertThat(meter.auditKinds()).containsExactly(AuditKind.RESERVED, AuditKind.REJECTED);
        assertThat(meter.reservation("r1").getEstimate().getAmount()).isEqualTo(StreamEventFixture.ESTIMATE);
    }

    @Test
    void a_chunk_replayed_is_never_counted_twice() {
        final StreamEvent chunk = chunk("r1", 1, T0, 10);
        meter.send(reserve("r1", T0), chunk, chunk, chunk, end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(10_000);
        assertThat(meter.auditKinds()).containsExactly(AuditKind.RESERVED, AuditKind.DUPLICATE_IGNORED,
                AuditKind.DUPLICATE_IGNORED, AuditKind.COMMITTED);
    }

    @Test
    void events_out_of_order_are_each_applied_once() {
        meter.send(reserve("r1", T0), chunk("r1", 3, T0, 3), chunk("r1", 1, T0, 1), chunk("r1", 2, T0, 2),
                chunk("r1", 3, T0, 3), end("r1", 4, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(6_000);
        assertThat(meter.reservation("r1").getAppliedSeqWatermark()).isEqualTo(4);
        assertThat(meter.reservation("r1").getAppliedSeqsAbove()).isEmpty();
    }

    @Test
    void billable_usage_after_settlement_is_gathered_into_one_debit_per_interval_so_no_spend_is_lost() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null),
                chunk("r1", 3, T0, 2), chunk("r1", 4, T0, 3));
        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        meter.send(chunk("r1", 5, T0, 5));

        meter.advance(Duration.ofSeconds(1));

        final List<BudgetCommand> commands = meter.commands();
        assertThat(commands).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:debit:1");
        final Debit debit = (Debit) commands.get(0).getBody();
        assertThat(debit.getActual().getAmount()).isEqualTo(10_000);
        assertThat(debit.getMetrics().getTokensOutput()).isEqualTo(10);
        assertThat(debit.getReason()).isEqualTo("usage_after_settlement");
        assertThat(meter.reservation("r1").getBilledAmount()).isEqualTo(20_000);
        meter.advance(Duration.ofSeconds(5));
        assertThat(meter.commands()).as("nothing left to debit").isEmpty();
    }

    @Test
    void a_late_end_debits_the_late_usage_at_once() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null),
                chunk("r1", 3, T0, 5), end("r1", 4, T0, Outcome.COMPLETED, null));

        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey)
                .containsExactly("r1:commit", "r1:debit:1");
    }

    @Test
    void usage_waived_by_a_release_is_never_charged_later() {
        try (MeteringDriver releasing = new MeteringDriver(Map.of(MeteringConfig.ON_FAILURE_CONFIG, "RELEASE"))) {
            releasing.send(reserve("r1", T0), chunk("r1", 1, T0, 25), end("r1", 2, T0, Outcome.CANCELLED, null),
                    chunk("r1", 3, T0, 1));
            releasing.advance(Duration.ofSeconds(1));

            final List<BudgetCommand> commands = releasing.commands();
            assertThat(commands).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:release", "r1:debit:1");
            assertThat(((Debit) commands.get(1).getBody()).getActual().getAmount()).as("the 1 late token only")
                    .isEqualTo(1_000);
        }
    }

    @Test
    void late_provider_totals_debit_only_what_the_commit_did_not_charge() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null),
                usage("r1", 3, T0, 100, 12, null));
        meter.advance(Duration.ofSeconds(1));

        final List<BudgetCommand> commands = meter.commands();
        final Debit debit = (Debit) commands.get(1).getBody();
        assertThat(debit.getMetrics().getTokensInput()).isEqualTo(100);
        assertThat(debit.getMetrics().getTokensOutput()).isEqualTo(2);
        assertThat(debit.getActual().getAmount()).isEqualTo(100 * 250 + 2 * 1_000L);
    }

    @Test
    void late_events_without_billable_usage_are_audited_as_late() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null),
                usage("r1", 3, T0, 0, 10, null), end("r1", 4, T0, Outcome.COMPLETED, null));

        assertThat(meter.commands()).hasSize(1);
        assertThat(meter.auditKinds()).endsWith(AuditKind.LATE_EVENT, AuditKind.LATE_EVENT);
    }

    @Test
    void chunks_before_their_reserve_wait_for_it_and_are_applied_in_seq_order() {
        meter.send(chunk("r1", 2, T0, 20), chunk("r1", 1, T0, 10));
        assertThat(meter.auditKinds()).containsExactly(AuditKind.ORPHAN_BUFFERED, AuditKind.ORPHAN_BUFFERED);

        meter.advanceInSteps(Duration.ofSeconds(5));
        meter.send(reserve("r1", T0), end("r1", 3, T0, Outcome.COMPLETED, null));

        final List<AuditRecord> audits = meter.audits();
        assertThat(audits).extracting(AuditRecord::getKind).containsExactly(AuditKind.RESERVED,
                AuditKind.COMMITTED);
        assertThat(audits.get(1).getUsage()).as("both chunks and the End").isEqualTo(new UsageCovered(1L, 3L, 3));
        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(30_000);
        meter.advanceInSteps(Duration.ofSeconds(40));
        assertThat(meter.deadLetters()).isEmpty();
    }

    @Test
    void an_unknown_reservation_holds_a_bounded_number_of_bytes_and_more_is_dead_lettered_at_once() {
        // Usage events of about 60 KiB each (a full custom map): the buffer stops before 256 KiB.
        final Map<String, String> custom = new java.util.HashMap<>();
        for (int i = 0; i < 60; i++) {
            custom.put("metric-" + i, "v".repeat(1_000));
        }
        int sent = 0;
        while (meter.deadLetters().isEmpty() && sent < 100) {
            sent++;
            meter.send(StreamEventFixture.event("r1", sent, T0, new Usage(1L, (long) sent, null, null, custom)));
        }

        assertThat(sent).as("the fifth event of about 60 KiB passes 256 KiB").isEqualTo(5);
        meter.send(reserve("r1", T0), end("r1", sent + 1, T0, Outcome.COMPLETED, null));
        assertThat(((Commit) meter.commands().get(0).getBody()).getMetrics().getTokensOutput())
                .as("the events held are applied, the one refused is not").isEqualTo(sent - 1L);
    }

    @Test
    void orphans_whose_reserve_never_comes_are_dead_lettered_with_their_original_bytes() {
        final StreamEvent orphan = chunk("ghost", 1, T0, 10);
        meter.send(orphan, chunk("ghost", 2, T0, 10));

        meter.advanceInSteps(Duration.ofSeconds(29));
        assertThat(meter.deadLetters()).isEmpty();
        meter.advanceInSteps(Duration.ofSeconds(2));

        final List<DeadLetter> deadLetters = meter.deadLetters();
        assertThat(deadLetters).hasSize(2).allSatisfy(deadLetter -> {
            assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.ORPHAN);
            assertThat(deadLetter.getReservationId()).isEqualTo("ghost");
            assertThat(deadLetter.getSourcePartition()).isZero();
        });
        assertThat(deadLetters.get(0).getValue().array()).isEqualTo(meter.serialize(orphan));
        assertThat(deadLetters.get(0).getSourceOffset()).isZero();
        assertThat(meter.auditKinds()).containsExactly(AuditKind.ORPHAN_BUFFERED, AuditKind.ORPHAN_BUFFERED,
                AuditKind.ORPHAN_EXPIRED);
    }
}
