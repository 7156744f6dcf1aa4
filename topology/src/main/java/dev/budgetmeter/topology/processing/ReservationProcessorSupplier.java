package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.state.StateStores;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** Supplies a {@link ReservationProcessor} per task, and declares the stores it needs. */
public final class ReservationProcessorSupplier implements ProcessorSupplier<String, LifecycleInput, String, Object> {

    private final TaskSettings settings;
    private final TaskRuntime runtime;
    private final Sinks sinks;

    public ReservationProcessorSupplier(final TaskSettings settings, final TaskRuntime runtime, final Sinks sinks) {
        this.settings = settings;
        this.runtime = runtime;
        this.sinks = sinks;
    }

    @Override
    public Processor<String, LifecycleInput, String, Object> get() {
        return new ReservationProcessor(settings, runtime, sinks);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return new HashSet<>(StateStores.builders());
    }
}
