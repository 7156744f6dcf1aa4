package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.cycles.standin.Fault;
import dev.budgetmeter.cycles.standin.RecordedRequest;
import dev.budgetmeter.cycles.standin.RecordedRequest.Disposition;
import dev.budgetmeter.cycles.standin.ReservationState;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetterReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of the protocol's response table (../shared/cycles-protocol.md, "Applying commands to a server"), as the
 * relay's applier meets it from a Cycles stand-in on real HTTP that keeps its own ledger and idempotency store: each
 * test states the answer, what the relay made of it, and what the server's ledger and request log show.
 */
class ResponseTableTest {

    private final StandInRig rig = new StandInRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void a_success_is_applied_with_the_amounts_and_balances_the_server_answered() throws Exception {
        final String id = rig.reserve("ok", 50_000);

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        final CommandResult result = applied.result();
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(result.getHttpStatus()).isEqualTo(200);
        assertThat(result.getCharged().getAmount()).isEqualTo(30_000);
        assertThat(result.getReleased().getAmount()).isEqualTo(20_000);
        assertThat(result.getBalances()).singleElement().satisfies(balance ->
                assertThat(balance.getSpent()).isEqualTo(30_000L));
        assertThat(applied.deadLettered()).isFalse();
        assertThat(rig.server.reservation(id).orElseThrow().state()).isEqualTo(ReservationState.COMMITTED);
    }

    @Test
    void a_same_key_replay_is_applied_from_the_stored_answer_and_charges_once() throws Exception {
        final String id = rig.reserve("replay", 50_000);
        final CommandApplier applier = rig.applier();

        final Applied first = applier.apply(Commands.commit(id, 30_000));
        final Applied again = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(again.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(again.result().getCharged()).isEqualTo(first.result().getCharged());
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::disposition)
                .containsExactly(Disposition.APPLIED, Disposition.REPLAYED);
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
        assertThat(rig.spent()).isEqualTo(30_000);
    }

    @Test
    void reservation_finalized_elsewhere_is_settled_elsewhere_and_no_release_follows() throws Exception {
        final String id = rig.reserve("finalized", 50_000);
        rig.server.forceRelease(id);

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.SETTLED_ELSEWHERE);
        assertThat(applied.result().getErrorCode()).isEqualTo("RESERVATION_FINALIZED");
        assertThat(applied.deadLettered()).isFalse();
        assertThat(rig.server.requests()).extracting(RecordedRequest::operation).doesNotContain("release", "event");
    }

    @Test
    void a_commit_answered_410_is_charged_as_an_event_with_the_same_key_actual_and_metrics() throws Exception {
        final String id = rig.reserve("expired", 50_000);
        rig.server.forceExpire(id);

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.RECOVERED_AS_EVENT);
        assertThat(applied.result().getHttpStatus()).isEqualTo(201);
        assertThat(applied.result().getEventId()).isNotNull();
        assertThat(rig.server.events()).singleElement().satisfies(event -> {
            assertThat(event.idempotencyKey()).isEqualTo(id + ":commit");
            assertThat(event.actual()).isEqualTo(30_000);
            assertThat(event.metadata()).containsEntry("recovered_reservation_id", id)
                    .containsEntry("recovery_reason", "commit_after_reservation_expired");
        });
        final RecordedRequest event = rig.server.requests("event", id + ":commit").get(0);
        assertThat(event.body().path("metrics").path("tokens_output").asLong()).isEqualTo(30);
        assertThat(event.body().path("subject").path("tenant").asText()).isEqualTo("acme");
        assertThat(event.body().path("action").path("name").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void a_release_answered_410_is_done_the_server_returned_the_hold() throws Exception {
        final String id = rig.reserve("release-expired", 50_000);
        rig.server.forceExpire(id);

        final Applied applied = rig.applier().apply(Commands.release(id));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.EXPIRED_AT_AUTHORITY);
        assertThat(applied.deadLettered()).isFalse();
        assertThat(rig.server.reservation(id).orElseThrow().state()).isEqualTo(ReservationState.EXPIRED);
        assertThat(rig.server.balance("tenant:acme", "USD_MICROCENTS").path("reserved").path("amount").asLong())
                .isZero();
    }

    @ParameterizedTest(name = "extend answered {0} {1}")
    @CsvSource({"410, RESERVATION_EXPIRED", "404, NOT_FOUND", "409, RESERVATION_FINALIZED",
            "409, MAX_EXTENSIONS_EXCEEDED", "409, TENANT_CLOSED"})
    void an_extend_refused_for_good_stops_there(final int status, final String code) throws Exception {
        final String id = rig.reserve("extend-" + code, 50_000);
        rig.server.inject(Fault.answer("extend", status, code, 1));

        final Applied applied = rig.applier().apply(Commands.extend(id, 1, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.EXTEND_REFUSED);
        assertThat(applied.result().getErrorCode()).isEqualTo(code);
        assertThat(applied.result().getExtendN()).isEqualTo(1);
        assertThat(rig.server.requests("extend", id + ":extend:1")).hasSize(1);
    }

    @Test
    void an_extend_applied_carries_the_authoritative_expiry() throws Exception {
        final String id = rig.reserve("extend-ok", 50_000);
        final long before = rig.server.reservation(id).orElseThrow().expiresAtMs();

        final Applied applied = rig.applier().apply(Commands.extend(id, 1, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(applied.result().getExpiresAtMs()).isEqualTo(before + 30_000);
    }

    @Test
    void idempotency_mismatch_is_an_alert_and_a_dead_letter_and_the_key_is_never_changed() throws Exception {
        final String id = rig.reserve("mismatch", 50_000);
        rig.applier().apply(Commands.commit(id, 30_000));

        final Applied applied = rig.applier().apply(Commands.commit(id, 31_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.IDEMPOTENCY_MISMATCH);
        assertThat(applied.deadLetterReason()).isEqualTo(DeadLetterReason.IDEMPOTENCY_MISMATCH);
        assertThat(rig.server.requests()).filteredOn(request -> !request.operation().equals("reserve"))
                .extracting(RecordedRequest::idempotencyKey).containsOnly(id + ":commit");
        rig.metrics.result(applied.result(), Instant.now());
        assertThat(rig.metrics.scrape()).contains("relay_alerts_total{reason=\"IDEMPOTENCY_MISMATCH\"} 1.0");
    }

    @ParameterizedTest(name = "{0} {1} to a {2}")
    @CsvSource({"400, UNIT_MISMATCH, commit", "400, INVALID_REQUEST, release", "403, FORBIDDEN, commit",
            "404, NOT_FOUND, debit", "409, BUDGET_EXCEEDED, commit", "409, OVERDRAFT_LIMIT_EXCEEDED, debit"})
    void a_command_refused_as_wrong_is_dead_lettered_with_the_answer(final int status, final String code,
                                                                    final String kind) throws Exception {
        final String id = rig.reserve("wrong-" + code + kind, 50_000);
        rig.server.inject(Fault.answer(kind.equals("debit") ? "event" : kind, status, code, 1));
        final var command = switch (kind) {
            case "commit" -> Commands.commit(id, 30_000);
            case "release" -> Commands.release(id);
            default -> Commands.debit(id, 1, 5_000, Instant.now());
        };

        final Applied applied = rig.applier().apply(command);

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.DEAD_LETTERED);
        assertThat(applied.deadLetterReason()).isEqualTo(DeadLetterReason.AUTHORITY_REFUSED);
        assertThat(applied.result().getHttpStatus()).isEqualTo(status);
        assertThat(applied.result().getErrorCode()).isEqualTo(code);
        assertThat(applied.result().getMessage()).isEqualTo("scripted fault");
    }

    @Test
    void a_401_pauses_and_keeps_the_command_which_goes_out_with_the_same_key_once_the_credentials_work()
            throws Exception {
        final String id = rig.reserve("unauthorized", 50_000);
        rig.server.inject(Fault.answer("commit", 401, "UNAUTHORIZED", 3));

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(applied.result().getAttempts()).isEqualTo(4);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::status)
                .containsExactly(401, 401, 401, 200);
    }

    @Test
    void a_429_waits_for_retry_after_and_sends_the_same_key_again() throws Exception {
        final String id = rig.reserve("throttled", 50_000);
        rig.server.inject(Fault.throttle("commit", 1, 1));
        final List<Duration> waits = new ArrayList<>();
        final CommandApplier applier = rig.applier(ApiKeys.single(Secret.of(StandInRig.API_KEY)), waits::add);

        final Applied applied = applier.apply(Commands.commit(id, 30_000));

        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::status)
                .containsExactly(429, 200);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"500, INTERNAL_ERROR", "502, BAD_GATEWAY", "503, UNAVAILABLE"})
    void a_5xx_is_retried_with_growing_capped_backoff_and_the_same_key(final int status, final String code)
            throws Exception {
        final String id = rig.reserve("5xx-" + status, 50_000);
        rig.server.inject(Fault.answer("commit", status, code, 4));
        final List<Duration> waits = new ArrayList<>();

        final Applied applied = rig.applier(ApiKeys.single(Secret.of(StandInRig.API_KEY)), waits::add)
                .apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(waits).hasSize(4).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(200)));
        assertThat(waits.get(3)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::idempotencyKey)
                .containsOnly(id + ":commit").hasSize(5);
    }

    @Test
    void a_timeout_is_retried_with_the_same_key_and_the_server_answers_from_its_store() throws Exception {
        final String id = rig.reserve("timeout", 50_000);
        rig.server.inject(Fault.of("commit", Fault.Kind.STALL_THEN_APPLY, 1).stalling(Duration.ofSeconds(3)));

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
        assertThat(rig.spent()).isEqualTo(30_000);
    }

    @Test
    void a_500_idempotency_result_still_being_prepared_is_retried_with_the_same_key() throws Exception {
        final String id = rig.reserve("preparing", 50_000);
        rig.server.inject(Fault.answer("commit", 500, "INTERNAL_ERROR", 1));

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(rig.server.requests("commit", id + ":commit")).hasSize(2);
    }

    @Test
    void a_debit_older_than_the_event_key_window_is_dead_lettered_and_never_sent() throws Exception {
        final String id = rig.reserve("old-debit", 50_000);

        final Applied applied = rig.applier().apply(Commands.debit(id, 1, 5_000,
                Instant.now().minus(Duration.ofDays(7)).minusSeconds(60)));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.DEAD_LETTERED);
        assertThat(applied.result().getErrorCode()).isEqualTo(CommandApplier.BEYOND_WINDOW);
        assertThat(applied.result().getHttpStatus()).isZero();
        assertThat(applied.deadLetterReason()).isEqualTo(DeadLetterReason.BEYOND_IDEMPOTENCY_WINDOW);
        assertThat(rig.server.requests()).extracting(RecordedRequest::operation).containsOnly("reserve");
    }

    @Test
    void a_debit_within_the_window_is_an_event_with_its_own_key() throws Exception {
        final String id = rig.reserve("debit", 50_000);

        final Applied applied = rig.applier().apply(Commands.debit(id, 1, 5_000, Instant.now()));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(rig.server.events()).singleElement().satisfies(event ->
                assertThat(event.idempotencyKey()).isEqualTo(id + ":debit:1"));
    }

}
