package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule 14: the metering sensors count what the lifecycle emits, beside the Kafka Streams metrics. */
class MetricsTest {

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void commits_releases_extends_debits_duplicates_late_events_and_dead_letters_are_counted() {
        meter.send(reserve("done", T0), chunk("done", 1, T0, 5), chunk("done", 1, T0, 5),
                end("done", 2, T0, Outcome.COMPLETED, null), chunk("done", 3, T0, 1),
                end("done", 4, T0, Outcome.COMPLETED, null),
                reserve("failed", T0), end("failed", 1, T0, Outcome.FAILED, "provider 500"),
                reserve("cancelled", T0), end("cancelled", 1, T0, Outcome.CANCELLED, null),
                reserve("long", T0));
        meter.sendRaw(new byte[] {1}, new byte[] {2});
        for (long s = 1; s <= 31; s++) {
            meter.send(chunk("long", s, meter.now(), 1));
            meter.advance(Duration.ofSeconds(1));
        }

        assertThat(value("commits-total", "settlement=COMPLETED")).isEqualTo(1.0);
        assertThat(value("releases-total", "reason=worker")).isEqualTo(1.0);
        assertThat(value("releases-total", "reason=cancelled")).isEqualTo(1.0);
        assertThat(value("extends-total", "stage=lifecycle")).isEqualTo(1.0);
        assertThat(value("debits-total", "stage=lifecycle")).isEqualTo(1.0);
        assertThat(value("duplicate-events-total", "stage=lifecycle")).isEqualTo(1.0);
        // Both events after "done" settled are late: the chunk waits for its Debit, the End sends it at once.
        assertThat(value("late-events-total", "stage=lifecycle")).isEqualTo(2.0);
        assertThat(value("dead-letters-total", "reason=UNDECODABLE")).isEqualTo(1.0);
        assertThat(value("active-reservations", "stage=lifecycle")).isEqualTo(1.0);
    }

    private double value(final String metric, final String tag) {
        final Map<String, ?> series = meter.metricsOf(metric);
        return series.entrySet().stream()
                .filter(entry -> entry.getKey().contains(tag))
                .mapToDouble(entry -> ((Number) entry.getValue()).doubleValue())
                .sum();
    }
}
