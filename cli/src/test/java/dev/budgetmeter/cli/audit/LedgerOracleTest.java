package dev.budgetmeter.cli.audit;

import static dev.budgetmeter.cli.audit.LedgerFixture.ESTIMATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.budgetmeter.schemas.AuditKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerOracleTest {

    private final LedgerFixture ledger = new LedgerFixture();

    @Test
    void a_ledger_of_cleanly_settled_reservations_passes() {
        ledger.reserved("r1").extend("r1", 1).extend("r1", 2).commit("r1", 120_000)
                .reserved("r2").release("r2", ESTIMATE)
                .reserved("r3").commit("r3", 50_000).debit("r3", 1, 7_000).debit("r3", 2, 3_000)
                .reserved("r4").commit("r4", ESTIMATE + 5_000)
                .reserved("r5").extend("r5", 1).after(30_000).lapse("r5").debit("r5", 1, 9_000);

        final Verdict verdict = ledger.check(Expectations.charges(
                Map.of("r1", 120_000L, "r2", 0L, "r3", 60_000L, "r4", ESTIMATE + 5_000, "r5", 9_000L)));

        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.reservations()).isEqualTo(5);
        assertThat(verdict.settled()).isEqualTo(5);
        assertThat(verdict.open()).isZero();
    }

    @Test
    void usage_records_that_account_for_every_applied_event_once_pass() {
        ledger.reserved("r1").usage("r1", 0, 4, 5, 4, 0).usage("r1", 5, 6, 2, 8, 2);

        assertThat(ledger.check(Expectations.none()).findings()).isEmpty();
    }

    @Test
    void an_applied_event_no_usage_record_covers_is_reported() {
        ledger.reserved("r1").usage("r1", 0, 4, 5, 4, 0).usage("r1", 6, 6, 1, 6, 0);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(rules(verdict)).containsExactly(Rule.USAGE_UNACCOUNTED);
        assertThat(verdict.findings().get(0).message()).contains("r1:USAGE_RECORDED:6..6", "7 events applied");
    }

    @Test
    void two_terminal_commands_of_one_reservation_are_reported() {
        ledger.reserved("r1").commit("r1", 100).release("r1", ESTIMATE);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.TERMINAL_DUPLICATE);
        assertThat(ledger.check(Expectations.none()).findings().get(0).message())
                .contains("r1:commit", "r1:release");
    }

    @Test
    void the_same_terminal_command_written_twice_is_reported() {
        ledger.reserved("r1").commit("r1", 100).commitCommandOnly("r1", 100);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.TERMINAL_DUPLICATE);
    }

    @Test
    void a_reservation_the_audit_shows_settled_without_a_terminal_command_is_reported() {
        ledger.reserved("r1").committedAuditOnly("r1");

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(rules(verdict)).containsExactly(Rule.TERMINAL_MISSING);
        assertThat(verdict.findings().get(0).message()).contains("COMMITTED");
    }

    @Test
    void an_open_reservation_is_only_reported_when_it_must_be_settled() {
        ledger.reserved("r1").extend("r1", 1);

        final Verdict anyTime = ledger.check(Expectations.none());
        final Verdict afterTheRun = ledger.check(Expectations.settled(Set.of("r1")));

        assertThat(anyTime.passed()).isTrue();
        assertThat(anyTime.open()).isEqualTo(1);
        assertThat(rules(afterTheRun)).containsExactly(Rule.TERMINAL_MISSING);
        assertThat(afterTheRun.findings().get(0).message()).contains("still open", "after 2 audit records, the last EXTENDED");
    }

    @Test
    void an_expected_reservation_with_no_record_at_all_is_reported() {
        final Verdict verdict = ledger.check(Expectations.charges(Map.of("lost", 1_000L)));

        assertThat(rules(verdict)).containsExactly(Rule.TERMINAL_MISSING);
        assertThat(verdict.findings().get(0).message()).contains("never reached the topology");
        assertThat(verdict.reservations()).isEqualTo(1);
    }

    @Test
    void a_commit_above_the_estimate_is_reported_unless_its_audit_record_carries_the_overage() {
        ledger.reserved("quiet").commitWithoutOverage("quiet", ESTIMATE + 1)
                .reserved("audited").commit("audited", ESTIMATE + 1);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule)
                .containsExactly(tuple("quiet", Rule.COMMIT_ABOVE_ESTIMATE));
    }

    @Test
    void commands_the_authority_must_refuse_after_the_hold_expired_are_reported() {
        // Hold: expires 10 s after the Reserve, grace 5 s; the extend moves the expiry to 15 s.
        ledger.reserved("late-commit").after(15_001).commit("late-commit", 100)
                .reserved("late-extend").after(10_001).extend("late-extend", 1).after(11_000).commit("late-extend", 100)
                .reserved("in-grace").after(14_999).commit("in-grace", 100);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule).containsExactly(
                tuple("late-commit", Rule.COMMAND_AFTER_EXPIRY),
                tuple("late-extend", Rule.COMMAND_AFTER_EXPIRY));
        assertThat(verdict.findings().get(0).message()).contains("late-commit:commit", "1 ms after");
    }

    @Test
    void a_lapse_ends_a_reservation_and_a_commit_besides_it_is_a_second_ending() {
        ledger.reserved("twice").lapse("twice").commit("twice", 100)
                .reserved("debited-early").debit("debited-early", 1, 10).after(20_000).lapse("debited-early");

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule).containsExactly(
                tuple("twice", Rule.TERMINAL_DUPLICATE),
                tuple("debited-early", Rule.DEBIT_UNSETTLED));
        assertThat(verdict.findings().get(0).message()).contains("lapse");
    }

    @Test
    void with_the_ledger_an_allowed_reservation_is_held_once_and_settled_once_on_the_same_budgets() {
        final var held = LedgerFixture.balance("tenant:acme", 1_000, 0, 400, 600);
        final var settled = LedgerFixture.balance("tenant:acme", 1_000, 100, 0, 900);
        ledger.reserved("ok").allowed("ok").ledger("ok", AuditKind.BUDGET_HELD, held).commit("ok", 100)
                .ledger("ok", AuditKind.BUDGET_SETTLED, settled)
                .reserved("unsettled").allowed("unsettled").ledger("unsettled", AuditKind.BUDGET_HELD, held)
                .commit("unsettled", 100)
                .reserved("elsewhere").allowed("elsewhere").ledger("elsewhere", AuditKind.BUDGET_HELD, held)
                .release("elsewhere", ESTIMATE).ledger("elsewhere", AuditKind.BUDGET_SETTLED,
                        LedgerFixture.balance("tenant:acme/agent:a", 10, 0, 0, 10))
                .reserved("no").refused("no").ledger("no", AuditKind.BUDGET_HELD, held);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule).containsExactly(
                tuple("unsettled", Rule.LEDGER_HOLD),
                tuple("elsewhere", Rule.LEDGER_HOLD),
                tuple("no", Rule.LEDGER_HOLD));
        assertThat(verdict.settled()).as("a refusal ends a reservation").isEqualTo(4);
    }

    @Test
    void a_budget_whose_remaining_breaks_the_invariant_is_reported() {
        ledger.reserved("r1").allowed("r1").ledger("r1", AuditKind.BUDGET_HELD,
                LedgerFixture.balance("tenant:acme", 1_000, 0, 400, 700));

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.BALANCE_INVARIANT);
    }

    @Test
    void the_records_of_a_budget_operation_are_no_reservation_even_when_everything_must_be_settled() {
        ledger.budgetChanged("op-1", LedgerFixture.balance("tenant:acme", 1_000, 0, 0, 1_000));

        final Verdict verdict = ledger.check(Expectations.settled(Set.of("op-1")));

        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.reservations()).isZero();
    }

    @Test
    void a_budget_operation_whose_balance_breaks_the_invariant_is_reported() {
        ledger.budgetChanged("op-1", LedgerFixture.balance("tenant:acme", 1_000, 0, 0, 999));

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.BALANCE_INVARIANT);
    }

    @Test
    void once_nothing_is_in_flight_a_budget_reserves_exactly_the_estimates_of_its_open_holds() {
        final var held = LedgerFixture.balance("tenant:acme", 1_000_000, 0, ESTIMATE, 1_000_000 - ESTIMATE);
        ledger.reserved("open").allowed("open").ledger("open", AuditKind.BUDGET_HELD, held)
                .latest(LedgerFixture.balance("tenant:acme", 1_000_000, 0, ESTIMATE, 1_000_000 - ESTIMATE))
                .latest(LedgerFixture.balance("tenant:leak", 1_000_000, 0, 5, 1_000_000 - 5));

        final Verdict quiet = ledger.check(Expectations.settled(Set.of()));
        final Verdict live = ledger.check(Expectations.none());

        assertThat(quiet.findings()).extracting(Finding::subject, Finding::rule)
                .containsExactly(tuple("tenant:leak|USD_MICROCENTS", Rule.BUDGET_TOTALS));
        assertThat(quiet.findings().get(0).message()).contains("reserved 5 but the holds still open on it add up to 0");
        assertThat(live.findings()).as("in flight, reserved amounts move").isEmpty();
    }

    @Test
    void a_budget_spends_what_the_workers_priced_of_its_reservations_or_less_only_over_its_limit() {
        ledger.latest(LedgerFixture.balance("tenant:exact", 1_000, 300, 0, 0, 700, false))
                .latest(LedgerFixture.balance("tenant:short", 1_000, 250, 0, 0, 750, false))
                .latest(LedgerFixture.balance("tenant:capped", 1_000, 1_000, 0, 0, 0, true))
                .latest(LedgerFixture.balance("tenant:debt", 1_000, 1_000, 0, 100, -100, true));

        final Verdict verdict = ledger.check(Expectations.settled(Set.of()).withBudgetCharges(Map.of(
                "tenant:exact|USD_MICROCENTS", 300L, "tenant:short|USD_MICROCENTS", 300L,
                "tenant:capped|USD_MICROCENTS", 1_200L, "tenant:debt|USD_MICROCENTS", 1_100L,
                "tenant:missing|USD_MICROCENTS", 1L)));

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule).containsExactlyInAnyOrder(
                tuple("tenant:short|USD_MICROCENTS", Rule.BUDGET_TOTALS),
                tuple("tenant:missing|USD_MICROCENTS", Rule.BUDGET_TOTALS));
    }

    @Test
    void the_debits_of_a_refused_reservation_come_after_its_refusal_and_are_its_charge() {
        ledger.reserved("r1").refused("r1").after(1_000).debit("r1", 1, 30);

        final Verdict verdict = ledger.check(Expectations.charges(Map.of("r1", 30L)));

        assertThat(verdict.findings()).isEmpty();
    }

    @Test
    void a_release_that_does_not_return_the_whole_estimate_is_reported() {
        ledger.reserved("r1").release("r1", ESTIMATE - 1);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(rules(verdict)).containsExactly(Rule.RELEASE_NOT_ESTIMATE);
        assertThat(verdict.findings().get(0).message()).contains("399,999", "400,000");
    }

    @Test
    void a_debit_before_the_settlement_is_reported() {
        ledger.reserved("r1").debit("r1", 1, 10).commit("r1", 100);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.DEBIT_UNSETTLED);
    }

    @Test
    void a_debit_of_a_reservation_never_settled_is_reported() {
        ledger.reserved("r1").debit("r1", 1, 10);

        final Verdict verdict = ledger.check(Expectations.none());

        // The fixture's DEBITED audit record says COMMITTED, so the missing terminal is reported too.
        assertThat(rules(verdict)).containsExactly(Rule.TERMINAL_MISSING, Rule.DEBIT_UNSETTLED);
        assertThat(verdict.findings().get(1).message()).contains("no Commit or Release");
    }

    @Test
    void an_extend_after_the_settlement_is_reported() {
        ledger.reserved("r1").commit("r1", 100).extend("r1", 1);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.EXTEND_AFTER_SETTLEMENT);
    }

    @Test
    void extend_keys_with_a_gap_are_reported() {
        ledger.reserved("r1").extend("r1", 1).extend("r1", 3).commit("r1", 100);

        final Verdict verdict = ledger.check(Expectations.none());

        assertThat(rules(verdict)).containsExactly(Rule.KEY_SEQUENCE);
        assertThat(verdict.findings().get(0).message()).contains("r1:extend:1", "r1:extend:3");
    }

    @Test
    void an_extend_key_used_twice_is_reported() {
        ledger.reserved("r1").extend("r1", 1).extend("r1", 1).commit("r1", 100);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.KEY_SEQUENCE);
    }

    @Test
    void an_extend_whose_number_differs_from_its_key_is_reported() {
        ledger.reserved("r1").extendKeyed("r1", "r1:extend:1", 2).commit("r1", 100);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.KEY_SEQUENCE);
    }

    @Test
    void debit_keys_out_of_sequence_are_reported() {
        ledger.reserved("r1").commit("r1", 100).debit("r1", 2, 10);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.KEY_SEQUENCE);
    }

    @Test
    void commands_without_any_audit_record_are_reported() {
        ledger.commitCommandOnly("r1", 100);

        assertThat(rules(ledger.check(Expectations.none()))).containsExactly(Rule.AUDIT_MISSING);
    }

    @Test
    void a_charge_other_than_the_priced_usage_is_reported_commit_and_debits_together() {
        ledger.reserved("exact").commit("exact", 100).debit("exact", 1, 20)
                .reserved("short").commit("short", 100)
                .reserved("lost").release("lost", ESTIMATE);

        final Verdict verdict = ledger.check(Expectations.charges(
                Map.of("exact", 120L, "short", 120L, "lost", 5_000L)));

        assertThat(verdict.findings()).extracting(Finding::subject, Finding::rule).containsExactly(
                tuple("short", Rule.CHARGE_MISMATCH),
                tuple("lost", Rule.CHARGE_MISMATCH));
        assertThat(verdict.findings().get(1).message()).contains("(released)", "5,000");
    }

    @Test
    void every_finding_names_its_reservation_and_rule_when_printed() {
        ledger.reserved("r1").release("r1", 1);

        final List<String> lines = VerdictReport.lines(ledger.check(Expectations.none()), 10);

        assertThat(lines.get(0)).contains("1 reservations", "FAILED, 1 findings");
        assertThat(lines.get(1)).startsWith("  RELEASE_NOT_ESTIMATE r1: ");
    }

    private static List<Rule> rules(final Verdict verdict) {
        return verdict.findings().stream().map(Finding::rule).toList();
    }
}
