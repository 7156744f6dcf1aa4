package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.internal.LedgerHold;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import dev.budgetmeter.topology.ledger.Budgets;
import dev.budgetmeter.topology.ledger.Ledger;
import dev.budgetmeter.topology.ledger.LedgerStep;
import dev.budgetmeter.topology.state.StateStores;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The budget ledger's side of the lifecycle, in a task keyed by tenant: applies each request (hold, settlement,
 * extend, debit, retire) through the {@link Ledger} to the tenant's budgets and the reservation's hold, all in one
 * {@code process()} call and so in one transaction; sends the decision on a Reserve to the workers (decisions) and
 * back to the lifecycle (ledger-replies); publishes every changed budget (balances) and audits the change. Its
 * {@code init} marks the ledger's task running in the instance's {@link RunningTasks}, as the lifecycle's does for
 * its own tasks: the instance is ready only once both kinds are restored.
 */
public final class LedgerRequestProcessor implements Processor<String, LedgerRequest, String, Object> {

    private final Ledger ledger;
    private final LedgerSinks sinks;
    private final RunningTasks runningTasks;
    private ProcessorContext<String, Object> context;
    private StoreBudgetBook budgets;
    private KeyValueStore<String, LedgerHold> holds;

    public LedgerRequestProcessor(final Ledger ledger, final LedgerSinks sinks, final RunningTasks runningTasks) {
        this.ledger = ledger;
        this.sinks = sinks;
        this.runningTasks = runningTasks;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.budgets = new StoreBudgetBook(context.getStateStore(StateStores.BUDGETS));
        this.holds = context.getStateStore(StateStores.LEDGER_HOLDS);
        runningTasks.started(context.taskId());
    }

    @Override
    public void close() {
        runningTasks.stopped(context.taskId());
    }

    @Override
    public void process(final Record<String, LedgerRequest> record) {
        final LedgerRequest request = record.value();
        final long now = context.currentSystemTimeMs();
        final String id = request.getReservationId();
        final LedgerStep step = ledger.onRequest(request, holds.get(id), budgets, now);
        if (step.forget()) {
            holds.delete(id);
        } else if (step.hold() != null) {
            holds.put(id, step.hold());
        }
        budgets.putAll(step.changed());
        if (step.decision() != null) {
            context.forward(new Record<>(id, step.decision(), now), sinks.decisions());
            context.forward(new Record<>(id, step.decision(), now), sinks.replies());
        }
        for (final Balance budget : step.changed()) {
            context.forward(new Record<>(Budgets.key(budget.getScope(), budget.getUnit()), budget, now),
                    sinks.balances());
        }
        if (step.audit() != null) {
            context.forward(new Record<>(id, step.audit(), now), sinks.audit());
        }
    }
}
