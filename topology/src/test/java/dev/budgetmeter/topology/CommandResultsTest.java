package dev.budgetmeter.topology;

import static dev.budgetmeter.topology.Events.chunk;
import static dev.budgetmeter.topology.Events.end;
import static dev.budgetmeter.topology.Events.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandKind;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.topology.app.CoPartitionedSources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a Cycles server as the authority ({@code metering.authority=CYCLES}) the lifecycle reads the relay's command
 * results: a refused extend stops the heartbeats and counts as a lapse (no Commit or Release may follow, usage is
 * debited), an applied extend's expiry is the server's, and every answer that is not a plain success is audited,
 * once however often the relay wrote it. Holds here: ttl 10 s, extended from T0 + 5 s.
 */
class CommandResultsTest {

    private final MeteringDriver meter = MeteringDriver.withCycles(Map.of(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG,
            120_000L));

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void a_refused_extend_stops_the_heartbeats_and_the_hold_counts_as_lapsed_with_its_usage_debited() {
        meter.send(reserve("r1", T0, body -> body.setTtlMs(10_000L)), chunk("r1", 1, T0, 40));
        meter.advanceInSteps(Duration.ofSeconds(6));
        final BudgetCommand extend = single(meter.commands());
        meter.audits();

        meter.answer(result(extend, CommandOutcome.EXTEND_REFUSED, 410, "RESERVATION_EXPIRED"));

        assertThat(meter.auditKinds()).containsExactly(AuditKind.EXTEND_REFUSED, AuditKind.HOLD_LAPSED);
        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(meter.reservation("r1").getSettlementCause()).isEqualTo(SettlementCause.HOLD_LAPSED);
        meter.advanceInSteps(Duration.ofSeconds(30));
        meter.send(end("r1", 2, meter.now(), Outcome.COMPLETED, null));
        final List<BudgetCommand> after = meter.commands();
        assertThat(after).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:debit:1");
        assertThat(((Debit) after.get(0).getBody()).getActual().getAmount()).isEqualTo(40_000);
        assertThat(((Debit) after.get(0).getBody()).getReason()).isEqualTo("hold_lapsed");
    }

    @Test
    void the_same_result_read_twice_changes_nothing_the_second_time() {
        meter.send(reserve("r1", T0, body -> body.setTtlMs(10_000L)));
        meter.advanceInSteps(Duration.ofSeconds(6));
        final CommandResult refused = result(single(meter.commands()), CommandOutcome.EXTEND_REFUSED, 409,
                "MAX_EXTENSIONS_EXCEEDED");
        meter.answer(refused);
        meter.audits();

        meter.answer(refused);

        assertThat(meter.audits()).isEmpty();
        assertThat(meter.reservation("r1").getAuthorityAnswers()).containsExactly("r1:extend:1");
    }

    @Test
    void an_applied_extend_takes_the_servers_expiry_when_it_differs() {
        meter.send(reserve("r1", T0, body -> body.setTtlMs(10_000L)));
        meter.advanceInSteps(Duration.ofSeconds(6));
        final BudgetCommand extend = single(meter.commands());
        final long believed = meter.reservation("r1").getExpiresAtMs();
        meter.audits();

        meter.answer(applied(extend, believed));
        assertThat(meter.audits()).as("the same expiry: nothing to change").isEmpty();
        meter.answer(applied(extend, believed - 3_000));

        final AuditRecord corrected = single(meter.audits());
        assertThat(corrected.getKind()).isEqualTo(AuditKind.EXTENDED);
        assertThat(corrected.getDetail()).contains(String.valueOf(believed - 3_000));
        assertThat(meter.reservation("r1").getExpiresAtMs()).isEqualTo(believed - 3_000);
    }

    @Test
    void a_commit_recovered_as_an_event_is_audited_with_the_event() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 40), end("r1", 2, T0, Outcome.COMPLETED, null));
        final BudgetCommand commit = single(meter.commands());
        meter.audits();

        meter.answer(CommandResult.newBuilder(result(commit, CommandOutcome.RECOVERED_AS_EVENT, 201, null))
                .setEventId("evt_9").setCharged(new Amount(Unit.USD_MICROCENTS, 40_000L)).build());

        final AuditRecord recovered = single(meter.audits());
        assertThat(recovered.getKind()).isEqualTo(AuditKind.COMMIT_RECOVERED_AS_EVENT);
        assertThat(recovered.getCommandId()).isEqualTo("r1:commit");
        assertThat(recovered.getDetail()).contains("evt_9").contains("40000");
        assertThat(meter.commands()).as("nothing more is sent").isEmpty();
    }

    @Test
    void a_settlement_done_elsewhere_and_a_refused_command_are_audited() {
        meter.send(reserve("r1", T0), end("r1", 1, T0, Outcome.CANCELLED, "user"));
        final BudgetCommand release = single(meter.commands());
        meter.send(reserve("r2", T0), chunk("r2", 1, T0, 5), end("r2", 2, T0, Outcome.COMPLETED, null));
        final BudgetCommand commit = single(meter.commands());
        meter.audits();

        meter.answer(result(release, CommandOutcome.SETTLED_ELSEWHERE, 409, "RESERVATION_FINALIZED"),
                result(commit, CommandOutcome.DEAD_LETTERED, 403, "FORBIDDEN"));

        assertThat(meter.audits()).extracting(AuditRecord::getKind, AuditRecord::getAuditId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditKind.SETTLED_ELSEWHERE, "r1:SETTLED_ELSEWHERE:RELEASE"),
                org.assertj.core.groups.Tuple.tuple(AuditKind.COMMAND_REFUSED, "r2:COMMAND_REFUSED:commit"));
    }

    @Test
    void a_result_that_cannot_be_read_is_dead_lettered_and_one_of_an_unknown_reservation_changes_nothing() {
        meter.answerRaw(new byte[] {1, 2, 3});
        meter.answer(CommandResult.newBuilder().setCommandId("gone:commit").setReservationId("gone")
                .setIdempotencyKey("gone:commit").setKind(CommandKind.COMMIT)
                .setOutcome(CommandOutcome.SETTLED_ELSEWHERE).setHttpStatus(409)
                .setErrorCode("RESERVATION_FINALIZED").setAttempts(1).setIssuedAt(Instant.ofEpochMilli(T0))
                .setAnsweredAt(Instant.ofEpochMilli(T0)).build());

        assertThat(meter.deadLetters()).singleElement().satisfies(letter ->
                assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE));
        assertThat(meter.audits()).isEmpty();
    }

    @Test
    void the_results_topic_is_read_by_the_lifecycles_tasks_and_checked_for_co_partitioning() {
        final MeteringConfig config = new MeteringConfig(Map.of(MeteringConfig.AUTHORITY_CONFIG, "CYCLES",
                MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://shape"));
        assertThat(CoPartitionedSources.of(MeteringTopology.build(config).describe()))
                .containsExactly(java.util.Set.of("budget.command-results", "budget.stream-events"));
    }

    private static CommandResult applied(final BudgetCommand extend, final long expiresAt) {
        return CommandResult.newBuilder(result(extend, CommandOutcome.APPLIED, 200, null)).setExpiresAtMs(expiresAt)
                .build();
    }

    private static CommandResult result(final BudgetCommand command, final CommandOutcome outcome, final int status,
                                        final String code) {
        final Object body = command.getBody();
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setReservationId(command.getReservationId())
                .setIdempotencyKey(command.getIdempotencyKey())
                .setKind(body instanceof dev.budgetmeter.schemas.Extend ? CommandKind.EXTEND
                        : body instanceof dev.budgetmeter.schemas.Commit ? CommandKind.COMMIT
                        : body instanceof dev.budgetmeter.schemas.Release ? CommandKind.RELEASE : CommandKind.DEBIT)
                .setOutcome(outcome)
                .setHttpStatus(status)
                .setErrorCode(code)
                .setExtendN(body instanceof dev.budgetmeter.schemas.Extend extend ? extend.getN() : null)
                .setAttempts(1)
                .setIssuedAt(command.getIssuedAt())
                .setAnsweredAt(Instant.ofEpochMilli(T0))
                .build();
    }

    private static <T> T single(final List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
