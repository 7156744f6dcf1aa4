package dev.budgetmeter.producer;

import java.util.concurrent.CompletableFuture;

/**
 * What a decision source made of a reservation about to open, before its Reserve is written: the reservation to
 * write (the one requested, or the one a Cycles server granted: its id, expiry and caps), the Reserve's idempotency
 * key, the reply partition it names, how its decision comes, and what to do if the Reserve is not written after all.
 *
 * @param reservation    what the Reserve describes
 * @param reserveKey     the Reserve's idempotency key: the one the authority was (or will be) asked with
 * @param replyPartition the decisions partition the Reserve names, or null
 * @param decision       the decision, complete unless the budget ledger answers later
 * @param notWritten     undoes what the admission did when the Reserve cannot be written (forget an expected
 *                       decision, release a hold the server granted)
 */
record Admission(StreamReservation reservation, String reserveKey, Integer replyPartition,
                 CompletableFuture<Decision> decision, Runnable notWritten) {

    /** The reservation as requested, with its derived key and nothing to undo. */
    static Admission asRequested(final StreamReservation reservation, final Integer replyPartition,
                                 final CompletableFuture<Decision> decision, final Runnable notWritten) {
        return new Admission(reservation, reservation.reservationId() + AvroMapping.RESERVE_KEY_SUFFIX,
                replyPartition, decision, notWritten);
    }
}
