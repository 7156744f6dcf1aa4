package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.decode.InboundEvent;
import dev.budgetmeter.topology.lifecycle.Emission;
import dev.budgetmeter.topology.state.StateStores;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** Supplies a {@link ReservationProcessor} per task, and declares the stores it needs. */
public final class ReservationProcessorSupplier implements ProcessorSupplier<String, InboundEvent, String, Emission> {

    private final MeteringConfig config;
    private final TaskRuntime runtime;

    public ReservationProcessorSupplier(final MeteringConfig config, final TaskRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    @Override
    public Processor<String, InboundEvent, String, Emission> get() {
        return new ReservationProcessor(config, runtime);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return new HashSet<>(StateStores.builders());
    }
}
