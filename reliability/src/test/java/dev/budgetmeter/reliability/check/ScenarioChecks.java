package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The checks every load scenario adds to the cli's oracle, in one call. */
public final class ScenarioChecks {

    private ScenarioChecks() {
    }

    /**
     * Token conservation against the producer's truth, plus each planned stream's terminal (settled by a timer
     * allowed or not, see {@link PlannedTerminals}); one line per problem.
     */
    public static List<String> spendAndTerminals(final LedgerSnapshot snapshot, final ProducerTruth truth,
                                                 final Collection<StreamPlan> plans,
                                                 final boolean timerSettlementAllowed) {
        final List<String> problems = new ArrayList<>(TokenConservation.problems(snapshot, truth));
        problems.addAll(PlannedTerminals.compare(snapshot, plans, timerSettlementAllowed).problems());
        return problems;
    }

    /**
     * Waits (bounded) until the ledger read from the topics passes the cli's oracle and
     * {@link #spendAndTerminals}, then returns what it read; fails with the findings otherwise.
     */
    public static LedgerCheck.Outcome awaitSpendAndTerminals(final LedgerReader reader, final ProducerTruth truth,
                                                             final Collection<StreamPlan> plans,
                                                             final boolean timerSettlementAllowed,
                                                             final Duration bound) {
        return new LedgerCheck(reader, truth.expectations(),
                snapshot -> spendAndTerminals(snapshot, truth, plans, timerSettlementAllowed)).awaitHolds(bound);
    }
}
