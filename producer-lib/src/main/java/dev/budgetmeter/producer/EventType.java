package dev.budgetmeter.producer;

/** The kinds of event a {@link MeteredStream} writes, in the order they appear in a stream. */
public enum EventType {
    /** The hold of the worst-case cost; always the first event of a stream (seq 0). */
    RESERVE,
    /** Tokens streamed since the previous chunk event, possibly coalescing many provider chunks. */
    CHUNK,
    /** The provider's totals for the whole call. */
    USAGE,
    /** The end of the stream, as the worker saw it; always the last event of a stream. */
    END
}
