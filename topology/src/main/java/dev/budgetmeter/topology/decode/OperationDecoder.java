package dev.budgetmeter.topology.decode;

import static dev.budgetmeter.topology.rules.FieldLimits.MAX_ID_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_LEVEL_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.firstProblem;
import static dev.budgetmeter.topology.rules.FieldLimits.length;

import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topology.rules.FieldLimits;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a record of the budget-operations topic into a {@link BudgetOperation} or a dead letter with its reason: the
 * same reasons as stream events (undecodable, unknown or wrong schema, a key that is not the operation's tenant, a
 * value too large, identifiers out of bounds), so that an operator's bad record never stops the ledger. What an
 * operation asks (amounts, scope, status) is checked by the ledger, which audits a refusal.
 */
public final class OperationDecoder {

    static final int MAX_REASON_LENGTH = 512;

    /** A budget operation, or the dead letter that replaces it. */
    public record Result(BudgetOperation operation, DeadLetter deadLetter) {
    }

    private final Deserializer<BudgetOperation> deserializer;
    private final DeadLetters deadLetters;

    public OperationDecoder(final Deserializer<BudgetOperation> deserializer, final DeadLetters deadLetters) {
        this.deserializer = deserializer;
        this.deadLetters = deadLetters;
    }

    public Result decode(final SourceRecord source, final long now) {
        final String key = RecordBytes.utf8(source.key());
        if (key == null || key.isEmpty()) {
            return rejected(DeadLetterReason.KEY_MISMATCH, "record key is missing or not UTF-8; it must be the tenant",
                    null, source, null, now);
        }
        if (source.value() == null || source.value().length > FieldLimits.MAX_EVENT_BYTES) {
            return rejected(source.value() == null ? DeadLetterReason.UNDECODABLE : DeadLetterReason.INVALID_EVENT,
                    source.value() == null ? "record value is null (a tombstone is not an operation)"
                            : "value has " + source.value().length + " bytes, at most " + FieldLimits.MAX_EVENT_BYTES,
                    null, source, null, now);
        }
        final RecordBytes.Read<BudgetOperation> read = RecordBytes.read(deserializer, source);
        if (!read.ok()) {
            return rejected(read.reason(), read.message(), read.error(), source, null, now);
        }
        final BudgetOperation operation = read.value();
        if (!key.equals(operation.getTenant())) {
            return rejected(DeadLetterReason.KEY_MISMATCH, "record key '" + FieldLimits.abbreviate(key)
                    + "' differs from tenant '" + FieldLimits.abbreviate(operation.getTenant()) + "'", null, source,
                    null, now);
        }
        final String problem = firstProblem(
                length("operation_id", operation.getOperationId(), 1, MAX_ID_LENGTH),
                length("tenant", operation.getTenant(), 1, MAX_LEVEL_LENGTH),
                length("issued_by", operation.getIssuedBy(), 0, MAX_ID_LENGTH),
                length("reason", operation.getReason(), 0, MAX_REASON_LENGTH));
        return problem == null ? new Result(operation, null)
                : rejected(DeadLetterReason.INVALID_EVENT, problem, null, source, null, now);
    }

    private Result rejected(final DeadLetterReason reason, final String message, final Throwable error,
                            final SourceRecord source, final String id, final long now) {
        return new Result(null, deadLetters.of(reason, message, error, source, id, now));
    }
}
