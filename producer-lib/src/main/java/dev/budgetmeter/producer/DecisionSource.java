package dev.budgetmeter.producer;

import java.util.concurrent.CompletableFuture;

/**
 * Where a meter's streams get their decisions: from an outside authority that decided before the stream opened, from
 * the budget ledger's decisions topic, or from a Cycles server asked during open. Every stream goes through
 * {@link #admit} before its Reserve is written, so no decision can arrive unexpected and the Reserve can carry what
 * the authority granted.
 */
interface DecisionSource extends AutoCloseable {

    /**
     * Prepares the Reserve of a reservation about to open. May block: the first time up to the meter's block timeout
     * for the decisions topic's metadata, or a Cycles reserve up to the decision timeout.
     *
     * @throws DecisionTimeoutException      when the decisions topic cannot be read
     * @throws BudgetRefusedException        when a Cycles server refused the reservation (nothing is held)
     * @throws AuthorityUnavailableException when a Cycles server did not answer in time
     */
    Admission admit(StreamReservation reservation);

    /** Stops reading; decisions still expected fail. */
    @Override
    void close();

    /** The decisions of an outside authority: every reservation was decided as it describes. */
    DecisionSource EXTERNAL = new DecisionSource() {
        @Override
        public Admission admit(final StreamReservation reservation) {
            return Admission.asRequested(reservation, null,
                    CompletableFuture.completedFuture(Decision.taken(reservation)), () -> { });
        }

        @Override
        public void close() {
        }
    };
}
