package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PendingChunksTest {

    private static final long START = 1_000_000;
    private static final long INTERVAL = 250;
    private static final long THRESHOLD = 100;

    private final MutableClock clock = new MutableClock(START);
    private final PendingChunks pending = new PendingChunks(clock, INTERVAL, THRESHOLD);

    @Test
    void becomes_due_at_the_token_threshold_and_asks_for_one_flush_only() {
        for (int i = 0; i < THRESHOLD - 1; i++) {
            assertThat(pending.add(1, 0)).isFalse();
        }

        assertThat(pending.add(0, 1)).as("the 100th token makes it due").isTrue();
        assertThat(pending.add(1, 0)).as("a flush is already asked for").isFalse();
        assertThat(pending.isDue()).isTrue();
    }

    @Test
    void becomes_due_when_the_oldest_chunk_waited_the_interval() {
        pending.add(1, 0);
        clock.advanceMillis(INTERVAL - 1);
        assertThat(pending.add(1, 0)).isFalse();
        assertThat(pending.isDue()).isFalse();

        clock.advanceMillis(1);

        assertThat(pending.isDue()).isTrue();
        assertThat(pending.add(1, 0)).isTrue();
    }

    @Test
    void drain_takes_exact_sums_stamped_with_the_drain_time_and_starts_over() {
        pending.add(3, 7);
        clock.advanceMillis(10);
        pending.add(2, 0);
        clock.advanceMillis(5);

        final PendingChunks.ChunkCounts counts = pending.drain();

        assertThat(counts).isEqualTo(new PendingChunks.ChunkCounts(5, 7, 2, START, START + 15));
        assertThat(pending.drain()).isNull();
        assertThat(pending.isDue()).isFalse();
    }

    @Test
    void a_drain_allows_the_next_flush_request() {
        for (int i = 0; i < THRESHOLD; i++) {
            pending.add(1, 0);
        }
        pending.drain();

        for (int i = 0; i < THRESHOLD - 1; i++) {
            assertThat(pending.add(1, 0)).isFalse();
        }
        assertThat(pending.add(1, 0)).isTrue();
    }

    @Test
    void restore_gives_back_the_tokens_of_an_event_that_could_not_be_sent() {
        pending.add(4, 0);
        final PendingChunks.ChunkCounts refused = pending.drain();
        clock.advanceMillis(100);
        pending.add(1, 2);

        pending.restore(refused);

        final PendingChunks.ChunkCounts next = pending.drain();
        assertThat(next.outputTokens()).isEqualTo(5);
        assertThat(next.inputTokens()).isEqualTo(2);
        assertThat(next.chunks()).isEqualTo(2);
        assertThat(next.oldestAtMillis()).as("the restored chunk is the oldest").isEqualTo(START);
    }

    @Test
    void refuses_chunks_after_the_end_but_hands_over_what_came_before() {
        pending.add(6, 0);

        final PendingChunks.ChunkCounts last = pending.drainAndEnd("reservation r-1 ended COMPLETED");

        assertThat(last.outputTokens()).isEqualTo(6);
        assertThatThrownBy(() -> pending.add(1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reservation r-1 ended COMPLETED");
    }
}
