package dev.budgetmeter.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void without_a_terminal_each_phase_is_a_plain_line_with_the_time_since_start() {
        try (ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), false, 80, nanos::get)) {
            display.phase("starting");
            nanos.set(2_500_000_000L);
            display.phase("streaming", () -> "streams 3/10");
        }

        assertThat(text.toString()).isEqualTo("[  0.0s] starting\n[  2.5s] streaming: streams 3/10\n");
    }

    @Test
    void on_a_terminal_a_phase_is_redrawn_in_place_cut_short_of_the_width_and_finished_by_the_next() {
        try (ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true, 30, nanos::get)) {
            display.phase("streaming", () -> "streams 3/10 and a long tail of counters");
            display.phase("done");
        }

        assertThat(text.toString()).isEqualTo("\r[  0.0s] streaming: streams 3\r[  0.0s] streaming: streams 3\n"
                + "\r[  0.0s] done\r[  0.0s] done\n");
    }
}
