package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.topology.decode.OperationDecoder;
import dev.budgetmeter.topology.decode.SourceRecord;
import dev.budgetmeter.topology.ledger.Budgets;
import dev.budgetmeter.topology.ledger.Ledger;
import dev.budgetmeter.topology.ledger.OperationResult;
import dev.budgetmeter.topology.state.StateStores;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies operators' budget operations, in the task that owns the tenant's budgets: each at most once (its
 * operation id is kept with its outcome), audited whether applied or refused, and the budget published when it
 * changed. The records are read as bytes and decoded here, so that a bad one is dead-lettered with its reason (a
 * key other than its tenant among them: it would have reached another tenant's task) instead of stopping the ledger.
 */
public final class BudgetOperationProcessor implements Processor<byte[], byte[], String, Object> {

    private final Ledger ledger;
    private final OperationDecoder decoder;
    private final LedgerSinks sinks;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Balance> budgets;
    private KeyValueStore<String, String> operations;

    public BudgetOperationProcessor(final Ledger ledger, final OperationDecoder decoder, final LedgerSinks sinks) {
        this.ledger = ledger;
        this.decoder = decoder;
        this.sinks = sinks;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.budgets = context.getStateStore(StateStores.BUDGETS);
        this.operations = context.getStateStore(StateStores.LEDGER_OPERATIONS);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final long now = context.currentSystemTimeMs();
        final RecordMetadata metadata = context.recordMetadata().orElseThrow();
        final OperationDecoder.Result decoded = decoder.decode(new SourceRecord(metadata.topic(),
                metadata.partition(), metadata.offset(), record.timestamp(), record.key(), record.value()), now);
        if (decoded.deadLetter() != null) {
            context.forward(new Record<>(decoded.deadLetter().getReservationId(), decoded.deadLetter(), now),
                    sinks.deadLetters());
            return;
        }
        final BudgetOperation operation = decoded.operation();
        final String id = operation.getOperationId();
        final String before = operations.get(id);
        if (before != null) {
            context.forward(new Record<>(id, duplicate(operation, before,
                    metadata.partition() + "-" + metadata.offset(), now), now), sinks.audit());
            return;
        }
        final OperationResult result = ledger.onOperation(operation,
                budgets.get(Budgets.key(operation.getScope(), operation.getUnit())), now);
        operations.put(id, result.refusal() == null ? "applied" : "refused: " + result.refusal());
        if (result.budget() != null) {
            final String key = Budgets.key(result.budget().getScope(), result.budget().getUnit());
            budgets.put(key, result.budget());
            context.forward(new Record<>(key, result.budget(), now), sinks.balances());
        }
        context.forward(new Record<>(id, Ledger.audit(operation, result, now), now), sinks.audit());
    }

    private static AuditRecord duplicate(final BudgetOperation operation, final String outcome,
                                         final String occurrence, final long now) {
        return AuditRecord.newBuilder()
                .setAuditId(operation.getOperationId() + ":" + AuditKind.DUPLICATE_IGNORED + ":" + occurrence)
                .setReservationId(operation.getOperationId())
                .setAt(Instant.ofEpochMilli(now))
                .setKind(AuditKind.DUPLICATE_IGNORED)
                .setDetail("operation " + operation.getOperationId() + " was already " + outcome)
                .build();
    }
}
