package dev.budgetmeter.topology.app;

import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.MeteringTopology;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metering topology: owns the {@link KafkaStreams} instance, its state listener and its uncaught-exception
 * policy. Building the topology stays a pure function ({@link MeteringTopology#build}); everything with a lifecycle
 * lives here.
 *
 * <p>Uncaught exceptions: a transient cause (the schema registry or a broker unreachable) replaces the stream thread,
 * which resumes from the last committed offsets once the cause is gone; anything else shuts the client down so that
 * {@link #isAlive()} turns false and the orchestrator restarts the instance with a clear error in the log.
 */
public final class MeteringApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringApp.class);

    private final KafkaStreams streams;

    private MeteringApp(final KafkaStreams streams) {
        this.streams = streams;
    }

    /** Creates the application for a configuration; {@link #start()} starts it. */
    public static MeteringApp create(final MeteringConfig config) {
        final KafkaStreams streams = new KafkaStreams(MeteringTopology.build(config), config.streamsProperties());
        streams.setStateListener((next, previous) -> LOG.info("Metering state {} -> {}", previous, next));
        streams.setUncaughtExceptionHandler(MeteringApp::onUncaught);
        return new MeteringApp(streams);
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True when every stream thread is processing: the readiness signal. */
    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** True unless the client stopped or failed: the liveness signal. */
    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED;
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /** Stops processing, committing what was processed, within the timeout. */
    public void close(final Duration timeout) {
        streams.close(new KafkaStreams.CloseOptions().timeout(timeout));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    static StreamThreadExceptionResponse onUncaught(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof RetriableException) {
                LOG.warn("Stream thread failed on a transient cause; replacing it", exception);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        LOG.error("Stream thread failed; shutting the client down", exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
