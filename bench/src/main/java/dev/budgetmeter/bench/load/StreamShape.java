package dev.budgetmeter.bench.load;

import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one simulated stream: Reserve, K chunks, then (unless abandoned) Usage and End. Immutable.
 *
 * @param chunks    K, the chunk events
 * @param abandoned true when the stream goes silent after its chunks (no Usage, no End), for the idle timeout
 * @param ttl       the Reserve's ttl
 */
public record StreamShape(int chunks, boolean abandoned, Duration ttl) {

    /** A completed stream with a 60 s ttl. */
    public static StreamShape completed(final int chunks) {
        return new StreamShape(chunks, false, Duration.ofSeconds(60));
    }

    /** A stream that stops after its chunks, with a 60 s ttl. */
    public static StreamShape abandonedAfter(final int chunks) {
        return new StreamShape(chunks, true, Duration.ofSeconds(60));
    }

    /** How many events one stream has. */
    public int events() {
        return 1 + chunks + (abandoned ? 0 : 2);
    }

    /** The stream's events, all at {@code at}. */
    public List<StreamEvent> events(final String reservationId, final long at) {
        final List<StreamEvent> events = new ArrayList<>();
        events.add(BenchEvents.reserve(reservationId, at, ttl, null));
        for (int seq = 1; seq <= chunks; seq++) {
            events.add(BenchEvents.chunk(reservationId, seq, at));
        }
        if (!abandoned) {
            events.add(BenchEvents.usage(reservationId, chunks + 1, at, chunks));
            events.add(BenchEvents.end(reservationId, chunks + 2, at));
        }
        return List.copyOf(events);
    }
}
