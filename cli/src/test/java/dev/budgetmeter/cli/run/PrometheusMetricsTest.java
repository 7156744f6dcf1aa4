package dev.budgetmeter.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    /** Stands in for StreamsMeters: registers one counter when bound, another on its first refresh. */
    private final AtomicReference<MeterRegistry> bound = new AtomicReference<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final MeterBinder application = registry -> {
        bound.set(registry);
        Counter.builder("kafka.budget.meter.commits.total").description("Total commits by settlement.")
                .tag("task.id", "0_1").tag("settlement", "COMPLETED").register(registry).increment(2);
    };
    private final PrometheusMetrics metrics = PrometheusMetrics.of(application, () -> {
        if (refreshes.incrementAndGet() == 1) {
            bound.get().gauge("kafka.budget.meter.active.reservations", 3);
        }
    }, closes::incrementAndGet);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void without_accept_the_body_is_prometheus_text_0_0_4_with_the_jvm_and_the_application() {
        final PrometheusMetrics.Scrape scrape = metrics.scrape(null);

        assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(new String(scrape.body(), StandardCharsets.UTF_8))
                .contains("# HELP kafka_budget_meter_commits_total Total commits by settlement.\n",
                        "# TYPE kafka_budget_meter_commits_total counter\n",
                        "kafka_budget_meter_commits_total{settlement=\"COMPLETED\",task_id=\"0_1\"} 2.0\n")
                .contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
                        "jvm_classes_loaded_classes ", "system_cpu_count ", "process_uptime_seconds ");
    }

    @Test
    void every_scrape_refreshes_the_application_first_so_a_meter_added_by_the_refresh_is_in_that_scrape() {
        final String first = new String(metrics.scrape(null).body(), StandardCharsets.UTF_8);
        metrics.scrape(null);

        assertThat(first).contains("kafka_budget_meter_active_reservations 3.0\n");
        assertThat(refreshes.get()).isEqualTo(2);
    }

    @Test
    void a_scraper_that_accepts_openmetrics_gets_openmetrics() {
        final PrometheusMetrics.Scrape scrape = metrics.scrape(
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        assertThat(scrape.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(new String(scrape.body(), StandardCharsets.UTF_8))
                .contains("# TYPE kafka_budget_meter_commits counter\n")
                .contains("kafka_budget_meter_commits_total{settlement=\"COMPLETED\",task_id=\"0_1\"} 2.0\n")
                .endsWith("# EOF\n");
    }

    @Test
    void every_series_line_of_the_text_format_is_well_formed() {
        final String text = new String(metrics.scrape(null).body(), StandardCharsets.UTF_8);

        text.lines().filter(line -> !line.startsWith("#")).forEach(line ->
                assertThat(line).matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+"));
    }

    @Test
    void closing_closes_the_application_binder_once() {
        metrics.close();

        assertThat(closes.get()).isEqualTo(1);
    }
}
