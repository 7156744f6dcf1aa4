package dev.budgetmeter.producer.internal;

import java.time.Clock;

/**
 * The coalesced provider chunks of one stream that no chunk event carries yet: token sums, the number of chunks and
 * when the oldest arrived. Guarded by its own monitor, which is held only for a few arithmetic steps, never while
 * sending, so {@code chunk()} never waits for a send in progress.
 *
 * <p>Pending chunks are <em>due</em> once they hold the token threshold (input plus output) or once the oldest has
 * waited the interval. Because the wait counts from the oldest pending chunk and a drain empties everything, two
 * chunk events that were due by time are at least one interval apart.
 *
 * <p>Ending the stream is a drain too: after {@link #drainAndEnd}, {@link #add} throws, so no token can slip in after
 * the last chunk event.
 */
public final class PendingChunks {

    private final Clock clock;
    private final long intervalMillis;
    private final long tokenThreshold;

    private long outputTokens;
    private long inputTokens;
    private int chunks;
    private long oldestAtMillis;
    private boolean flushRequested;
    private String endedAs;

    public PendingChunks(final Clock clock, final long intervalMillis, final long tokenThreshold) {
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.tokenThreshold = tokenThreshold;
    }

    /**
     * Adds one provider chunk.
     *
     * @return true when the pending chunks just became due and nobody asked for a flush yet: the caller asks now
     * @throws IllegalStateException after the stream ended
     */
    public synchronized boolean add(final long output, final long input) {
        if (endedAs != null) {
            throw new IllegalStateException("chunk() after the end: " + endedAs);
        }
        final long now = clock.millis();
        if (chunks == 0) {
            oldestAtMillis = now;
        }
        outputTokens += output;
        inputTokens += input;
        if (chunks < Integer.MAX_VALUE) {
            chunks++;
        }
        if (flushRequested || !isDue(now)) {
            return false;
        }
        flushRequested = true;
        return true;
    }

    public synchronized boolean isDue() {
        return isDue(clock.millis());
    }

    /** Takes everything pending, or null when nothing is; stamped with the time of the drain. */
    public synchronized ChunkCounts drain() {
        flushRequested = false;
        if (chunks == 0) {
            return null;
        }
        final ChunkCounts counts = new ChunkCounts(outputTokens, inputTokens, chunks, oldestAtMillis, clock.millis());
        outputTokens = 0;
        inputTokens = 0;
        chunks = 0;
        return counts;
    }

    /** Takes everything pending and refuses any later chunk; {@code endedAs} says how, for the refusal's message. */
    public synchronized ChunkCounts drainAndEnd(final String endedAs) {
        this.endedAs = endedAs;
        return drain();
    }

    /** Puts back a drain whose event could not be sent, so its tokens go with the next chunk event. */
    public synchronized void restore(final ChunkCounts counts) {
        oldestAtMillis = chunks == 0 ? counts.oldestAtMillis() : Math.min(oldestAtMillis, counts.oldestAtMillis());
        outputTokens += counts.outputTokens();
        inputTokens += counts.inputTokens();
        chunks = (int) Math.min(Integer.MAX_VALUE, (long) chunks + counts.chunks());
    }

    private boolean isDue(final long now) {
        return chunks > 0
                && (outputTokens + inputTokens >= tokenThreshold || now - oldestAtMillis >= intervalMillis);
    }

    /**
     * What one chunk event carries.
     *
     * @param oldestAtMillis when its oldest provider chunk arrived
     * @param drainedAtMillis when it was taken: the event's time
     */
    public record ChunkCounts(long outputTokens, long inputTokens, int chunks, long oldestAtMillis, long drainedAtMillis) {
    }
}
