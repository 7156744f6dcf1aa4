package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.UsageCovered;

/**
 * The events of a reservation applied since its last audit record, kept in its snapshot ({@code unaudited_*}) as a
 * count and a seq range. Usage is audited per reservation once per punctuation interval and at every transition, not
 * per event; the next audit record takes these and names them in its {@code usage} field, so that every applied
 * event is accounted for by exactly one audit record. Kept in the state (not in memory) so that a crash between an
 * event and its audit loses neither.
 */
final class UnauditedUsage {

    private UnauditedUsage() {
    }

    /** Counts an applied event. */
    static void add(final ReservationSnapshot reservation, final long seq) {
        final int events = reservation.getUnauditedEvents();
        reservation.setUnauditedFirstSeq(events == 0 ? seq : Math.min(seq, reservation.getUnauditedFirstSeq()));
        reservation.setUnauditedLastSeq(events == 0 ? seq : Math.max(seq, reservation.getUnauditedLastSeq()));
        reservation.setUnauditedEvents(events + 1);
    }

    /** The events waiting for an audit record, now taken by the caller's record; null when there are none. */
    static UsageCovered take(final ReservationSnapshot reservation) {
        final int events = reservation.getUnauditedEvents();
        if (events == 0) {
            return null;
        }
        final UsageCovered covered = new UsageCovered(reservation.getUnauditedFirstSeq(),
                reservation.getUnauditedLastSeq(), events);
        reservation.setUnauditedEvents(0);
        reservation.setUnauditedFirstSeq(0L);
        reservation.setUnauditedLastSeq(0L);
        return covered;
    }

    /** The audit id's discriminator of a record of usage between transitions: its seq range. */
    static String range(final ReservationSnapshot reservation) {
        return reservation.getUnauditedFirstSeq() + ".." + reservation.getUnauditedLastSeq();
    }
}
