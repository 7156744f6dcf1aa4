package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.topology.decode.Decoded;
import dev.budgetmeter.topology.decode.EventDecoder;
import dev.budgetmeter.topology.decode.SourceRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes raw input records into valid events keyed by reservation id, handed to the lifecycle, or into dead letters
 * that carry the original bytes and where they were read, handed to the dead-letter sink. Input is consumed as bytes
 * so that no record can fail deserialization before we see it: every bad record gets a reason instead of stopping
 * the application.
 */
public final class DecodeProcessor implements Processor<byte[], byte[], String, Object> {

    private final EventDecoder decoder;
    private final String lifecycle;
    private final String deadLetters;
    private ProcessorContext<String, Object> context;
    private MeteringMetrics metrics;

    /**
     * @param lifecycle   the node valid events go to
     * @param deadLetters the node dead letters go to
     */
    public DecodeProcessor(final EventDecoder decoder, final String lifecycle, final String deadLetters) {
        this.decoder = decoder;
        this.lifecycle = lifecycle;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.metrics = new MeteringMetrics(context.metrics(), context.taskId().toString(), "decode");
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata metadata = context.recordMetadata().orElseThrow();
        final SourceRecord source = new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(),
                record.timestamp(), record.key(), record.value());
        final Decoded decoded = decoder.decode(source, context.currentSystemTimeMs());
        // The one place the outcome is looked at: each kind goes to its own node, which gets only that kind.
        if (decoded instanceof Decoded.Accepted accepted) {
            // One new record, not withKey then withValue: each of those copies the headers.
            context.forward(new Record<>(accepted.reservationId(), new LifecycleInput.Event(accepted.event()),
                    record.timestamp(), record.headers()), lifecycle);
        } else {
            final DeadLetter deadLetter = ((Decoded.Rejected) decoded).deadLetter();
            metrics.recordDeadLetter(deadLetter.getReason());
            context.forward(record.withKey(deadLetter.getReservationId()).withValue(deadLetter), deadLetters);
        }
    }

    @Override
    public void close() {
        metrics.close();
    }
}
