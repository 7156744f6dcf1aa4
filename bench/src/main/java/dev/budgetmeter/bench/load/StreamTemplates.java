package dev.budgetmeter.bench.load;

/**
 * The serialized events of simulated streams, by stream number: what {@link StreamTraffic} sends. Every stream of
 * one source has the same number of events.
 */
public interface StreamTemplates {

    /** Events per stream. */
    int eventsPerStream();

    /** The serialized event {@code index} of stream {@code streamNumber}, occurring at {@code occurredAtMs}. */
    byte[] value(int index, long streamNumber, long occurredAtMs);
}
