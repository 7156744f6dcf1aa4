package dev.budgetmeter.topology.app;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The input clock of one partition, from samples of its end offset and of the offset its consumer group committed.
 * Every record appended before an end offset was sampled at {@code t} lies below that offset; once the committed
 * offset reaches it, all of them have been processed and committed, so the partition's input clock is {@code t}.
 * Works alike through a backlog (the clock is the time the group's position was the end of the log) and when caught
 * up (the clock follows the samples). Not thread-safe: one sampler owns it.
 *
 * <p>Samples wait while the group is behind them, at most {@value #MAX_PENDING}: when the backlog outlasts that many
 * samples, newer ones are dropped until the older ones are reached, so the clock moves in coarser steps but never
 * ahead of what was read.
 */
final class InputProgress {

    static final int MAX_PENDING = 256;

    private record Sample(long at, long endOffset) {
    }

    private final Deque<Sample> pending = new ArrayDeque<>();
    private long processedBefore = Long.MIN_VALUE;

    /** The end offset read when the clock showed {@code at}; samples come in time order. */
    void sampled(final long at, final long endOffset) {
        if (pending.size() < MAX_PENDING) {
            pending.addLast(new Sample(at, endOffset));
        }
    }

    /** The offset the group has committed (the next it would read); the clock moves to the newest sample reached. */
    void committed(final long offset) {
        while (!pending.isEmpty() && pending.peekFirst().endOffset() <= offset) {
            processedBefore = Math.max(processedBefore, pending.removeFirst().at());
        }
    }

    /** Every record appended before this time has been processed and committed; {@link Long#MIN_VALUE} if unknown. */
    long processedBefore() {
        return processedBefore;
    }
}
