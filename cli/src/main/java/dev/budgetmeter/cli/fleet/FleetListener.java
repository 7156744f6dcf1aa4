package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Decision;

/**
 * Told what the fleet's workers do, from their threads: must be quick and thread-safe. The demo uses it to time
 * each End against the Commit that answers it.
 */
public interface FleetListener {

    /** Nothing to be told. */
    FleetListener NONE = new FleetListener() {
    };

    /**
     * The stream's Reserve was handed to Kafka and the reservation allowed.
     *
     * @param plan     what the worker streams: the planned call under the decision's caps
     * @param decision the authority's decision
     */
    default void opened(final StreamPlan plan, final Decision decision) {
    }

    /** The budget authority refused the reservation: nothing is streamed. */
    default void refused(final StreamPlan plan, final Decision decision) {
    }

    /** The stream's End is about to be handed to Kafka, at {@code nanoTime}. */
    default void endSent(final StreamPlan plan, final long nanoTime) {
    }

    /** The worker is done with the stream (an abandoned one included). */
    default void finished(final StreamPlan plan) {
    }

    /** A call to the meter threw (Kafka did not take an event in time); the stream is not followed further. */
    default void failed(final StreamPlan plan, final RuntimeException cause) {
    }
}
