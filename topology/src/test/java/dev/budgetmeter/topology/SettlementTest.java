package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.ESTIMATE;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.usage;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Overage;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.UsageCovered;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules 1-4: reserve, usage from chunks and provider totals, and the one settlement an End causes. */
class SettlementTest {

    private final MeteringDriver meter = new MeteringDriver(Map.of(MeteringConfig.PRICE_TABLE_CONFIG, "gpt-4o-mini=15:60"));

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void reserve_opens_an_active_reservation_that_expires_ttl_after_it_occurred() {
        meter.send(reserve("r1", T0));

        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(meter.reservation("r1").getExpiresAtMs()).isEqualTo(T0 + StreamEventFixture.TTL_MS);
        final List<AuditRecord> audits = meter.audits();
        assertThat(audits).singleElement().satisfies(audit -> {
            assertThat(audit.getKind()).isEqualTo(AuditKind.RESERVED);
            assertThat(audit.getAuditId()).isEqualTo("r1:RESERVED");
            assertThat(audit.getFrom()).isNull();
            assertThat(audit.getTo()).isEqualTo(ReservationStatus.ACTIVE);
            assertThat(audit.getSnapshot().getEstimate().getAmount()).isEqualTo(ESTIMATE);
        });
        assertThat(meter.commands()).isEmpty();
    }

    @Test
    void reserve_keeps_the_expiry_an_authority_already_granted() {
        meter.send(reserve("r1", T0, body -> body.setExpiresAtMs(T0 + 90_000L)));

        assertThat(meter.reservation("r1").getExpiresAtMs()).isEqualTo(T0 + 90_000);
    }

    @Test
    void completed_stream_commits_chunk_sums_priced_with_the_reserve_pricing() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0 + 100, 10, 50), chunk("r1", 2, T0 + 200, 20),
                end("r1", 3, T0 + 1_500, Outcome.COMPLETED, null));

        final BudgetCommand command = single(meter.commands());
        assertThat(command.getIdempotencyKey()).isEqualTo("r1:commit");
        assertThat(command.getCommandId()).isEqualTo("r1:commit");
        final Commit commit = (Commit) command.getBody();
        assertThat(commit.getActual()).isEqualTo(new Amount(Unit.USD_MICROCENTS, 50 * 250 + 30 * 1_000L));
        assertThat(commit.getSettlement()).isEqualTo(Settlement.COMPLETED);
        assertThat(commit.getMetrics().getTokensInput()).isEqualTo(50);
        assertThat(commit.getMetrics().getTokensOutput()).isEqualTo(30);
        assertThat(commit.getMetrics().getLatencyMs()).isEqualTo(1_500);
        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.COMMITTED);
        assertThat(meter.reservation("r1").getReleasedAmount()).isEqualTo(ESTIMATE - 42_500);
    }

    @Test
    void provider_totals_win_over_chunk_sums() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), usage("r1", 2, T0, 100, 40, null),
                end("r1", 3, T0, Outcome.COMPLETED, null));

        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getActual().getAmount()).isEqualTo(100 * 250 + 40 * 1_000L);
        assertThat(commit.getMetrics().getModelVersion()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void a_worker_priced_actual_wins_over_any_price() {
        meter.send(reserve("r1", T0), usage("r1", 1, T0, 100, 40, new Amount(Unit.USD_MICROCENTS, 12_345L)),
                end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(12_345);
    }

    @Test
    void without_reserve_pricing_the_price_table_of_the_action_name_applies() {
        meter.send(reserve("r1", T0, body -> body.setPricing(null)
                        .setAction(new dev.budgetmeter.schemas.Action("llm.completion", "gpt-4o-mini", List.of()))),
                chunk("r1", 1, T0, 100, 1_000), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount())
                .isEqualTo(1_000 * 15L + 100 * 60L);
    }

    @Test
    void token_budgets_are_charged_one_unit_per_token_without_a_price() {
        meter.send(reserve("r1", T0, body -> body.setPricing(null).setEstimate(new Amount(Unit.TOKENS, 4_096L))),
                chunk("r1", 1, T0, 300, 200), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual())
                .isEqualTo(new Amount(Unit.TOKENS, 500L));
    }

    @Test
    void with_no_price_at_all_the_estimate_is_charged_and_the_audit_says_why() {
        meter.send(reserve("r1", T0, body -> body.setPricing(null)
                        .setAction(new dev.budgetmeter.schemas.Action("llm.completion", "unpriced", List.of()))),
                chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(ESTIMATE);
        assertThat(last(meter.audits()).getDetail()).contains("no price for action 'unpriced'");
    }

    @Test
    void commit_above_the_estimate_is_issued_and_the_overage_audited() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 2_000), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount()).isEqualTo(2_000_000);
        final AuditRecord committed = last(meter.audits());
        assertThat(committed.getKind()).isEqualTo(AuditKind.COMMITTED);
        final Overage overage = new Overage(1_000_000L, OveragePolicy.ALLOW_IF_AVAILABLE);
        assertThat(committed.getOverage()).isEqualTo(overage);
        assertThat(committed.getSnapshot().getOverage()).isEqualTo(overage);
        assertThat(meter.reservation("r1").getOverage()).isEqualTo(overage);
    }

    @Test
    void failed_stream_with_nothing_billable_releases_with_the_end_reason_or_a_default() {
        meter.send(reserve("r1", T0), end("r1", 1, T0, Outcome.FAILED, "provider 503"),
                reserve("r2", T0), end("r2", 1, T0, Outcome.FAILED, null),
                reserve("r3", T0), end("r3", 1, T0, Outcome.CANCELLED, null));

        assertThat(meter.commands()).extracting(c -> ((Release) c.getBody()).getReason())
                .containsExactly("provider 503", "stream_error", "cancelled");
        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(meter.reservation("r1").getReleasedAmount()).isEqualTo(ESTIMATE);
    }

    @Test
    void failed_stream_with_billable_usage_commits_what_was_observed_by_default() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 25), end("r1", 2, T0, Outcome.FAILED, "connection reset"));

        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getSettlement()).isEqualTo(Settlement.PARTIAL_ON_FAILURE);
        assertThat(commit.getActual().getAmount()).isEqualTo(25_000);
    }

    @Test
    void failed_stream_with_billable_usage_releases_under_the_release_policy() {
        try (MeteringDriver releasing = new MeteringDriver(Map.of(MeteringConfig.ON_FAILURE_CONFIG, "RELEASE"))) {
            releasing.send(reserve("r1", T0), chunk("r1", 1, T0, 25), end("r1", 2, T0, Outcome.CANCELLED, "user"));

            final Release release = (Release) single(releasing.commands()).getBody();
            assertThat(release.getReason()).isEqualTo("user");
            assertThat(release.getReleased().getAmount()).isEqualTo(ESTIMATE);
            assertThat(last(releasing.audits()).getDetail()).contains("waived");
        }
    }

    @Test
    void only_the_first_end_settles() {
        meter.send(reserve("r1", T0), end("r1", 1, T0, Outcome.COMPLETED, null),
                end("r1", 2, T0, Outcome.FAILED, "late failure"));

        assertThat(meter.commands()).hasSize(1);
        assertThat(meter.auditKinds()).containsExactly(AuditKind.RESERVED, AuditKind.COMMITTED, AuditKind.LATE_EVENT);
    }

    @Test
    void every_transition_is_audited_with_the_snapshot_after_it() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), end("r1", 2, T0, Outcome.COMPLETED, null));

        final List<AuditRecord> audits = meter.audits();
        assertThat(audits).extracting(AuditRecord::getKind)
                .containsExactly(AuditKind.RESERVED, AuditKind.COMMITTED);
        assertThat(audits.get(0).getUsage()).isEqualTo(new UsageCovered(0L, 0L, 1));
        assertThat(audits.get(1).getUsage()).as("the chunk and the End, audited with the commit")
                .isEqualTo(new UsageCovered(1L, 2L, 2));
        assertThat(audits.get(1).getSnapshot().getChunkTokensOutput()).isEqualTo(10);
        assertThat(audits.get(1).getCommandId()).isEqualTo("r1:commit");
        assertThat(audits.get(1).getFrom()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(audits.get(1).getTo()).isEqualTo(ReservationStatus.COMMITTED);
        assertThat(audits.get(1).getSnapshot().getBilledAmount()).isEqualTo(10_000);
    }

    static <T> T single(final List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    static <T> T last(final List<T> values) {
        assertThat(values).isNotEmpty();
        return values.get(values.size() - 1);
    }
}
