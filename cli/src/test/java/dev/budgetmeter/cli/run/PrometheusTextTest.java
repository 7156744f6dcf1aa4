package dev.budgetmeter.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private final Metrics metrics = new Metrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void a_counter_with_tags_becomes_a_sanitized_family_with_labels() {
        final Sensor commits = metrics.sensor("commits");
        commits.add(new MetricName("commits-total", "budget-meter-metrics", "Total commits by settlement.",
                Map.of("task-id", "0_1", "settlement", "COMPLETED")), new CumulativeCount());
        commits.record();
        commits.record();

        final String text = PrometheusText.format(metrics.metrics());

        assertThat(text).contains("# HELP budget_meter_metrics_commits_total Total commits by settlement.\n")
                .contains("# TYPE budget_meter_metrics_commits_total counter\n")
                .contains("budget_meter_metrics_commits_total{settlement=\"COMPLETED\",task_id=\"0_1\"} 2\n");
    }

    @Test
    void a_gauge_keeps_fractions_and_label_values_are_escaped() {
        final Sensor sensor = metrics.sensor("rate");
        sensor.add(new MetricName("process-rate", "stream-thread-metrics", "", Map.of("thread-id", "a\"b\\c")),
                new Value());
        sensor.record(2.5);

        final String text = PrometheusText.format(metrics.metrics());

        assertThat(text).contains("# TYPE stream_thread_metrics_process_rate gauge\n")
                .contains("stream_thread_metrics_process_rate{thread_id=\"a\\\"b\\\\c\"} 2.5\n")
                .doesNotContain("# HELP stream_thread_metrics_process_rate");
    }

    @Test
    void every_family_name_is_valid_and_only_numeric_values_are_written() {
        metrics.addMetric(new MetricName("version", "app-info", "", Map.of()),
                (org.apache.kafka.common.metrics.Gauge<String>) (config, now) -> "4.3.1");

        final String text = PrometheusText.format(metrics.metrics());

        assertThat(text).doesNotContain("app_info_version");
        text.lines().filter(line -> !line.startsWith("#"))
                .forEach(line -> assertThat(line).matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+"));
        assertThat(text).contains("kafka_metrics_count_count");
    }
}
