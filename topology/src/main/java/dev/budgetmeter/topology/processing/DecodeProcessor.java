package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.decode.Decoded;
import dev.budgetmeter.topology.decode.EventDecoder;
import dev.budgetmeter.topology.decode.SourceRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes raw input records into valid events keyed by reservation id, or into dead letters that carry the original
 * bytes and where they were read. Input is consumed as bytes so that no record can fail deserialization before we
 * see it: every bad record gets a reason instead of stopping the application.
 */
public final class DecodeProcessor implements Processor<byte[], byte[], String, Decoded> {

    private final EventDecoder decoder;
    private ProcessorContext<String, Decoded> context;
    private MeteringMetrics metrics;

    public DecodeProcessor(final EventDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void init(final ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.metrics = new MeteringMetrics(context.metrics(), context.taskId().toString(), "decode");
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata metadata = context.recordMetadata().orElseThrow();
        final SourceRecord source = new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(),
                record.timestamp(), record.key(), record.value());
        final Decoded decoded = decoder.decode(source, context.currentSystemTimeMs());
        final String key;
        if (decoded instanceof Decoded.Accepted accepted) {
            key = accepted.reservationId();
        } else {
            final Decoded.Rejected rejected = (Decoded.Rejected) decoded;
            metrics.recordDeadLetter(rejected.deadLetter().getReason());
            key = rejected.deadLetter().getReservationId();
        }
        context.forward(record.withKey(key).withValue(decoded));
    }

    @Override
    public void close() {
        metrics.close();
    }
}
