package dev.budgetmeter.bench.load;

import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one simulated stream: a Reserve of {@code tenant}, K chunks, then what {@code ending} says. Immutable.
 *
 * @param chunks K, the chunk events
 * @param ending what follows the chunks
 * @param ttl    the Reserve's ttl
 * @param tenant the tenant of the Reserve's subject
 */
public record StreamShape(int chunks, Ending ending, Duration ttl, String tenant) {

    private static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    /** How a stream ends. */
    public enum Ending {
        /** The provider's totals, then End(COMPLETED): a worker's stream. */
        USAGE_AND_END,
        /** End(COMPLETED) straight after the chunks: settles the hold without charging tokens. */
        END_ONLY,
        /** Nothing: the stream goes silent after its chunks, for the idle timeout. */
        ABANDONED
    }

    /** A completed stream with a 60 s ttl. */
    public static StreamShape completed(final int chunks) {
        return new StreamShape(chunks, Ending.USAGE_AND_END, DEFAULT_TTL, BenchEvents.DEFAULT_TENANT);
    }

    /** A stream that stops after its chunks, with a 60 s ttl. */
    public static StreamShape abandonedAfter(final int chunks) {
        return new StreamShape(chunks, Ending.ABANDONED, DEFAULT_TTL, BenchEvents.DEFAULT_TENANT);
    }

    /** A Reserve of {@code tenant} and its End, nothing between: one decision of the budget ledger and its release. */
    public static StreamShape reserveAndEnd(final String tenant) {
        return new StreamShape(0, Ending.END_ONLY, DEFAULT_TTL, tenant);
    }

    /** How many events one stream has. */
    public int events() {
        return 1 + chunks + switch (ending) {
            case USAGE_AND_END -> 2;
            case END_ONLY -> 1;
            case ABANDONED -> 0;
        };
    }

    /** The stream's events, all at {@code at}. */
    public List<StreamEvent> events(final String reservationId, final long at) {
        final List<StreamEvent> events = new ArrayList<>();
        events.add(BenchEvents.reserve(reservationId, tenant, at, ttl, null));
        for (int seq = 1; seq <= chunks; seq++) {
            events.add(BenchEvents.chunk(reservationId, seq, at));
        }
        if (ending == Ending.USAGE_AND_END) {
            events.add(BenchEvents.usage(reservationId, chunks + 1, at, chunks));
        }
        if (ending != Ending.ABANDONED) {
            events.add(BenchEvents.end(reservationId, events.size(), at));
        }
        return List.copyOf(events);
    }
}
