package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.lifecycle.Emission;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards lifecycle outputs downstream, keyed by reservation id and stamped with topology time, and counts each in
 * the metrics: every output of the lifecycle passes here, so the counts cannot miss one.
 */
final class Emitter {

    private final ProcessorContext<String, Emission> context;
    private final MeteringMetrics metrics;

    Emitter(final ProcessorContext<String, Emission> context, final MeteringMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    void emit(final String key, final Emission emission, final long now) {
        metrics.record(emission);
        context.forward(new Record<>(key, emission, now));
    }
}
