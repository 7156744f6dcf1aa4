package dev.budgetmeter.reliability.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.Workload;
import java.time.Duration;

/**
 * The verdict on a load scenario once its faults are over: every event sent was acknowledged, the oracle and the
 * producer's truth agree ({@link ScenarioChecks}), nothing was dead-lettered, and each stream got its planned
 * terminal (or, where the scenario allows it, a timer's). Immutable.
 *
 * @param outcome   what the oracle passed
 * @param terminals how each stream ended against its plan
 */
public record LoadJudgement(LedgerCheck.Outcome outcome, PlannedTerminals terminals) {

    /**
     * Waits for the load to finish ({@code loadBound}) and the outputs to pass ({@code settleBound}); fails with the
     * findings otherwise.
     */
    public static LoadJudgement of(final ScenarioDeployment deployment, final EventSender sender,
                                   final LoadDriver load, final Workload workload,
                                   final boolean timerSettlementAllowed, final Duration loadBound,
                                   final Duration settleBound) throws InterruptedException {
        load.awaitFinished(loadBound);
        assertThat(sender.failures()).as("events the brokers never acknowledged").isEmpty();
        final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
        final LedgerCheck.Outcome outcome = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                workload.plans(), timerSettlementAllowed, settleBound);
        assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();
        return new LoadJudgement(outcome, PlannedTerminals.compare(outcome.snapshot(), workload.plans(),
                timerSettlementAllowed));
    }
}
