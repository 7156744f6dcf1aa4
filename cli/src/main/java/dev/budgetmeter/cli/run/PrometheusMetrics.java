package dev.budgetmeter.cli.run;

import dev.budgetmeter.topology.app.StreamsMeters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code GET /metrics} answers: a Micrometer {@link PrometheusMeterRegistry} holding the JVM's meters (memory,
 * garbage collection, threads, class loading, processor, uptime) and the metering application's
 * ({@link StreamsMeters}: every Kafka Streams metric and the metering sensors, named
 * {@code kafka_<group without "-metrics">_<name>}, e.g. {@code kafka_budget_meter_active_reservations}).
 *
 * <p>Guarantees: every {@link #scrape} first refreshes the application's meters, so it shows every metric Kafka Streams
 * had when the scrape began (a task's gauges right after a fail-over included) and none it had removed; the body is
 * in the format the scraper's {@code Accept} header asks for, among those Prometheus' client writes (the Prometheus
 * text format 0.0.4 without one, OpenMetrics 1.0 or Prometheus protobuf when asked), and {@link Scrape#contentType()}
 * names that format. Thread-safe.
 */
public final class PrometheusMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Runnable refresh;
    private final List<AutoCloseable> binders;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrometheusMetrics(final PrometheusMeterRegistry registry, final Runnable refresh,
                              final List<AutoCloseable> binders) {
        this.registry = registry;
        this.refresh = refresh;
        this.binders = binders;
    }

    /** A registry with the JVM's meters and the application's, which it closes when it closes. */
    public static PrometheusMetrics of(final StreamsMeters application) {
        return of(application, application::refresh, application);
    }

    /**
     * A registry with the JVM's meters and {@code application}'s, refreshed by {@code refresh} before each scrape;
     * closes {@code closeable} when it closes. For tests of this class without a Kafka Streams client.
     */
    static PrometheusMetrics of(final MeterBinder application, final Runnable refresh, final AutoCloseable closeable) {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // Listens to the JVM's GC notifications until closed.
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        application.bindTo(registry);
        return new PrometheusMetrics(registry, refresh, List.of(closeable, gc));
    }

    /** The metrics now, in the format {@code accept} (the request's {@code Accept} header, or null) prefers. */
    public Scrape scrape(final String accept) {
        refresh.run();
        final ExpositionFormatWriter writer = formats.findWriter(accept);
        final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(body, registry.getPrometheusRegistry().scrape());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        }
        return new Scrape(writer.getContentType(), body.toByteArray());
    }

    /** Closes the binders that hold resources (the application's, GC listeners), then the registry; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IllegalStateException failure = null;
        for (final AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (final Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close the metrics binder " + binder, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        registry.close();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * One answer to a scrape.
     *
     * @param contentType the value of the response's {@code Content-Type}
     * @param body        the metrics in that format
     */
    public record Scrape(String contentType, byte[] body) {
    }
}
