package dev.budgetmeter.topology.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The metrics of one Kafka Streams client as Micrometer meters: the client's, its threads', tasks', stores' and
 * embedded clients', and the metering sensors its tasks register ({@code MeteringMetrics}), through Micrometer's
 * {@link KafkaStreamsMetrics} binder (incubating in Micrometer since 1.4). Names and tags are that binder's: the meter
 * of Kafka metric {@code name} in group {@code group} is {@code kafka.<group without "-metrics">.<name>} with dots for
 * dashes, its tags are the metric's tags (dots for dashes) and {@code kafka.version}; a cumulative count or sum is a
 * counter, anything else a gauge; metadata groups ({@code app-info}, {@code kafka-metrics-count}) and non-numeric
 * metrics are left out, and so is a metric whose name Kafka also publishes with more tags.
 *
 * <p>Guarantee: once {@link #refresh()} returns, the registry holds a meter for every metric above that the client had
 * when the refresh started, none for one it had removed by then, and every meter reads the value of the client's
 * current metric object. The binder alone finds new and removed metrics only on a schedule (every 60 s by default;
 * Micrometer 1.16 made the interval configurable and offers no way to run it now): a task assigned after a fail-over
 * would have no {@code active-reservations} gauge until then, and a task closed and created again in between would
 * show the frozen value of its previous sensor. Operators read the per-task gauges right after a fail-over, so
 * {@code /metrics} refreshes before every scrape; the binder's own refresh task is run for that, taken from the
 * scheduler it is given ({@link OnDemandScheduler}), which is what that scheduler is documented to run. Binding fails
 * at once if a Micrometer upgrade stops scheduling it there.
 */
public final class StreamsMeters implements MeterBinder, AutoCloseable {

    /**
     * The binder's own schedule. The scrape refreshes anyway; this keeps the registry near the client's metrics for a
     * reader that does not refresh (none today), at the cost Micrometer chose as its default.
     */
    static final Duration SCHEDULED_REFRESH = Duration.ofSeconds(60);

    private final OnDemandScheduler scheduler = new OnDemandScheduler("budget-meter-metrics-refresh");
    private final KafkaStreamsMetrics binder;
    private final AtomicBoolean bound = new AtomicBoolean();

    StreamsMeters(final KafkaStreams streams) {
        binder = new KafkaStreamsMetrics(streams, Tags.empty(), scheduler, SCHEDULED_REFRESH);
    }

    /**
     * Registers a meter for every metric the client has now, and keeps them current on its schedule and on every
     * {@link #refresh()}. Binds to one registry only.
     *
     * @throws IllegalStateException if already bound, or if Micrometer did not schedule its refresh as expected
     */
    @Override
    public void bindTo(final MeterRegistry registry) {
        if (!bound.compareAndSet(false, true)) {
            throw new IllegalStateException("these meters are bound to a registry already");
        }
        binder.bindTo(registry);
        if (scheduler.periodicTasks() != 1) {
            throw new IllegalStateException("Micrometer's KafkaStreamsMetrics scheduled " + scheduler.periodicTasks()
                    + " periodic tasks instead of its one refresh: /metrics could not be kept current after a"
                    + " rebalance; check the Micrometer version against StreamsMeters");
        }
    }

    /** Brings the registry's meters in line with the client's metrics now (see the class comment); thread-safe. */
    public void refresh() {
        scheduler.runPeriodicNow();
    }

    /** Stops refreshing and removes the meters it registered; a {@link #refresh()} after this does nothing. */
    @Override
    public void close() {
        scheduler.shutdownThen(binder::close);
    }
}
