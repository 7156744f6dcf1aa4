package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topology.rules.FieldLimits;
import dev.budgetmeter.topology.rules.Rejection;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns an input record's bytes into a valid {@link StreamEvent} or a dead letter with a reason code: undecodable
 * bytes, an unknown schema id, a schema of another record type, a key that is not the reservation id, a value larger
 * than {@link FieldLimits#MAX_EVENT_BYTES}, values that break the protocol's limits.
 *
 * <p>A registry that cannot be reached, or that refuses our requests (credentials, URL), is not bad input:
 * {@link SchemaRegistryUnavailableException} and {@link SchemaRegistryRequestException} propagate, so the record is
 * retried rather than dead-lettered.
 */
public final class EventDecoder {

    private final Deserializer<StreamEvent> deserializer;
    private final StreamEventValidator validator;
    private final DeadLetters deadLetters;

    public EventDecoder(final Deserializer<StreamEvent> deserializer, final StreamEventValidator validator,
                        final DeadLetters deadLetters) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.deadLetters = deadLetters;
    }

    /** Decodes and validates one record; {@code now} stamps a dead letter. */
    public Decoded decode(final SourceRecord source, final long now) {
        final String key = RecordBytes.utf8(source.key());
        if (key == null || key.isEmpty()) {
            return rejected(DeadLetterReason.KEY_MISMATCH, "record key is missing or not UTF-8; it must be the"
                    + " reservation id", null, source, null, now);
        }
        if (source.value() == null) {
            return rejected(DeadLetterReason.UNDECODABLE, "record value is null (a tombstone is not an event)", null,
                    source, key, now);
        }
        if (source.value().length > FieldLimits.MAX_EVENT_BYTES) {
            return rejected(DeadLetterReason.INVALID_EVENT, "value has " + source.value().length + " bytes, at most "
                    + FieldLimits.MAX_EVENT_BYTES, null, source, key, now);
        }
        final RecordBytes.Read<StreamEvent> read = RecordBytes.read(deserializer, source);
        if (!read.ok()) {
            return rejected(read.reason(), read.message(), read.error(), source, key, now);
        }
        final StreamEvent event = read.value();
        final Optional<Rejection> problem = validator.validate(key, event);
        if (problem.isPresent()) {
            return rejected(problem.get().reason(), problem.get().message(), null, source, key, now);
        }
        return new Decoded.Accepted(key, new InboundEvent(event, source));
    }

    private Decoded rejected(final DeadLetterReason reason, final String message, final Throwable error,
                             final SourceRecord source, final String key, final long now) {
        return new Decoded.Rejected(deadLetters.of(reason, message, error, source, key, now));
    }
}
