package dev.budgetmeter.producer;

import java.util.concurrent.CompletableFuture;

/**
 * Where a meter's streams get their decisions: from an outside authority that decided before the stream opened, or
 * from the budget ledger's decisions topic. Registration comes before the Reserve is written, so no decision can
 * arrive unexpected.
 */
interface DecisionSource extends AutoCloseable {

    /**
     * The partition of the decisions topic the Reserve names for its answer, or null when none is read. May wait up
     * to the meter's block timeout the first time, for the topic's metadata.
     *
     * @throws DecisionTimeoutException when the decisions topic cannot be read
     */
    Integer replyPartition();

    /** Expects the decision on a reservation whose Reserve is about to be written. */
    CompletableFuture<Decision> expect(StreamReservation reservation);

    /** The Reserve of a reservation was not written after all: no decision will come. */
    void forget(String reservationId);

    /** Stops reading; decisions still expected fail. */
    @Override
    void close();

    /** The decisions of an outside authority: every reservation was decided as it describes. */
    DecisionSource EXTERNAL = new DecisionSource() {
        @Override
        public Integer replyPartition() {
            return null;
        }

        @Override
        public CompletableFuture<Decision> expect(final StreamReservation reservation) {
            return CompletableFuture.completedFuture(Decision.taken(reservation));
        }

        @Override
        public void forget(final String reservationId) {
        }

        @Override
        public void close() {
        }
    };
}
