package dev.budgetmeter.producer;

import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import java.util.List;
import java.util.stream.LongStream;

/** Reading consumed stream events in the terms of the API: types, sequence numbers, bodies, token sums. */
final class ConsumedEvents {

    private ConsumedEvents() {
    }

    static EventType type(final StreamEvent event) {
        final Object body = event.getBody();
        if (body instanceof Reserve) {
            return EventType.RESERVE;
        }
        if (body instanceof Chunk) {
            return EventType.CHUNK;
        }
        if (body instanceof dev.budgetmeter.schemas.Usage) {
            return EventType.USAGE;
        }
        if (body instanceof End) {
            return EventType.END;
        }
        throw new IllegalArgumentException("unknown body " + body);
    }

    static List<EventType> types(final List<StreamEvent> events) {
        return events.stream().map(ConsumedEvents::type).toList();
    }

    static List<Long> seqs(final List<StreamEvent> events) {
        return events.stream().map(StreamEvent::getSeq).toList();
    }

    static List<Long> contiguousSeqs(final int count) {
        return LongStream.range(0, count).boxed().toList();
    }

    static List<StreamEvent> ofType(final List<StreamEvent> events, final EventType type) {
        return events.stream().filter(event -> type(event) == type).toList();
    }

    static List<Chunk> chunks(final List<StreamEvent> events) {
        return ofType(events, EventType.CHUNK).stream().map(event -> (Chunk) event.getBody()).toList();
    }

    static long outputTokens(final List<StreamEvent> events) {
        return chunks(events).stream().mapToLong(Chunk::getTokensOutput).sum();
    }

    static long coalescedChunks(final List<StreamEvent> events) {
        return chunks(events).stream().mapToLong(Chunk::getChunks).sum();
    }

    static Reserve reserve(final List<StreamEvent> events) {
        return (Reserve) events.get(0).getBody();
    }

    static End end(final List<StreamEvent> events) {
        return (End) events.get(events.size() - 1).getBody();
    }

    static boolean ended(final List<StreamEvent> events) {
        return !events.isEmpty() && type(events.get(events.size() - 1)) == EventType.END;
    }
}
