package dev.budgetmeter.topology.processing;

import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.SourceRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Hands the Cycles server's answers, read back from command-results, to the lifecycle of the reservation's task. The
 * relay writes each answer to the partition of its reservation id, so it arrives at the task that holds it. The
 * topic is written by another application, so it is read as bytes: a record that cannot be decoded is dead-lettered
 * (UNDECODABLE) rather than stopping the application; a tombstone is skipped; a registry outage is not bad input
 * and fails the record (the stream thread is replaced and reads it again).
 */
public final class ResultProcessor implements Processor<byte[], byte[], String, Object> {

    private final Deserializer<CommandResult> results;
    private final DeadLetters deadLetters;
    private final String lifecycle;
    private final String deadLetterSink;
    private ProcessorContext<String, Object> context;

    /**
     * @param lifecycle      the node the answers go to
     * @param deadLetterSink the node records that cannot be read go to
     */
    public ResultProcessor(final Deserializer<CommandResult> results, final DeadLetters deadLetters,
                           final String lifecycle, final String deadLetterSink) {
        this.results = results;
        this.deadLetters = deadLetters;
        this.lifecycle = lifecycle;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        final RecordMetadata metadata = context.recordMetadata().orElseThrow();
        final CommandResult result;
        try {
            result = results.deserialize(metadata.topic(), record.value());
        } catch (final SchemaRegistryUnavailableException transientCause) {
            throw transientCause;
        } catch (final RuntimeException undecodable) {
            final SourceRecord source = new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(),
                    record.timestamp(), record.key(), record.value());
            context.forward(new Record<>(null, deadLetters.of(DeadLetterReason.UNDECODABLE,
                    "a command result that cannot be read: " + undecodable.getMessage(), undecodable, source, null,
                    context.currentSystemTimeMs()), record.timestamp()), deadLetterSink);
            return;
        }
        context.forward(new Record<>(result.getReservationId(), new LifecycleInput.Answered(result),
                record.timestamp()), lifecycle);
    }
}
