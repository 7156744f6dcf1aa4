package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards lifecycle outputs to the sink of their topic, keyed by reservation id and stamped with topology time, and
 * counts each in the metrics: every output of the lifecycle passes here, so the counts cannot miss one.
 */
final class Emitter {

    private final ProcessorContext<String, Object> context;
    private final Sinks sinks;
    private final MeteringMetrics metrics;

    Emitter(final ProcessorContext<String, Object> context, final Sinks sinks, final MeteringMetrics metrics) {
        this.context = context;
        this.sinks = sinks;
        this.metrics = metrics;
    }

    void command(final String key, final BudgetCommand command, final long now) {
        metrics.recordCommand(command);
        context.forward(new Record<>(key, command, now), sinks.commands());
    }

    void audit(final String key, final AuditRecord audit, final long now) {
        metrics.recordAudit(audit.getKind());
        context.forward(new Record<>(key, audit, now), sinks.audit());
    }

    /** Asks the budget ledger, in the task of the reservation's tenant. */
    void ledgerRequest(final LedgerRequest request, final long now) {
        context.forward(new Record<>(request.getTenant(), request, now), sinks.ledgerRequests());
    }

    void deadLetter(final String key, final DeadLetter deadLetter, final long now) {
        metrics.recordDeadLetter(deadLetter.getReason());
        context.forward(new Record<>(key, deadLetter, now), sinks.deadLetters());
    }
}
