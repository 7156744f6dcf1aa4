package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The input clock of a partition moves to the time of the newest end offset its group has committed past. */
class InputProgressTest {

    private final InputProgress progress = new InputProgress();

    @Test
    void unknown_until_the_group_reaches_a_sampled_end() {
        progress.sampled(1_000, 50);
        progress.committed(49);

        assertThat(progress.processedBefore()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void through_a_backlog_the_clock_is_when_the_end_was_where_the_group_is_now() {
        progress.sampled(1_000, 50);
        progress.sampled(2_000, 80);
        progress.sampled(3_000, 120);

        progress.committed(90);
        assertThat(progress.processedBefore()).isEqualTo(2_000);
        progress.committed(120);
        assertThat(progress.processedBefore()).isEqualTo(3_000);
    }

    @Test
    void a_caught_up_quiet_partition_follows_the_samples() {
        progress.sampled(1_000, 50);
        progress.committed(50);
        progress.sampled(2_000, 50);
        progress.committed(50);

        assertThat(progress.processedBefore()).isEqualTo(2_000);
    }

    @Test
    void a_backlog_longer_than_the_samples_kept_moves_the_clock_in_coarser_steps_never_ahead() {
        for (int i = 0; i < InputProgress.MAX_PENDING + 100; i++) {
            progress.sampled(i, 1_000L + i);
        }
        progress.committed(1_000L + InputProgress.MAX_PENDING + 99);

        assertThat(progress.processedBefore()).isEqualTo(InputProgress.MAX_PENDING - 1);
        progress.sampled(10_000, 2_000);
        progress.committed(2_000);
        assertThat(progress.processedBefore()).isEqualTo(10_000);
    }
}
