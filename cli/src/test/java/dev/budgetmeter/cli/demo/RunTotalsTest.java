package dev.budgetmeter.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.cli.audit.LedgerFixture;
import org.junit.jupiter.api.Test;

class RunTotalsTest {

    @Test
    void the_estimate_held_leaves_out_the_reserves_the_budget_authority_refused() {
        final LedgerFixture ledger = new LedgerFixture()
                .reserved("r1").allowed("r1").commit("r1", 100_000)
                .reserved("r2").refused("r2")
                .reserved("r3").allowed("r3").commit("r3", 300_000);

        final RunTotals totals = RunTotals.of(ledger.snapshot(), id -> true);

        assertThat(totals.estimated()).isEqualTo(2 * LedgerFixture.ESTIMATE);
        assertThat(totals.committed()).isEqualTo(400_000);
    }
}
