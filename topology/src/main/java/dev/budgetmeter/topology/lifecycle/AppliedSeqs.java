package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.ReservationSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The seqs of a reservation's events that have been applied, kept in its snapshot as a watermark (every seq up to it)
 * plus the few seqs above it that came out of order. A seq is an event's idempotency key within its reservation, so
 * this is what makes every event count once however often it is delivered.
 */
final class AppliedSeqs {

    private AppliedSeqs() {
    }

    static boolean contains(final ReservationSnapshot reservation, final long seq) {
        return seq <= reservation.getAppliedSeqWatermark() || reservation.getAppliedSeqsAbove().contains(seq);
    }

    /** Records seq as applied, keeping the set compact: a watermark plus the few seqs that came out of order. */
    static void add(final ReservationSnapshot reservation, final long seq) {
        if (seq == reservation.getAppliedSeqWatermark() + 1 && reservation.getAppliedSeqsAbove().isEmpty()) {
            // The common case, events in order: no list to copy or sort on the per-record path.
            reservation.setAppliedSeqWatermark(seq);
            return;
        }
        final List<Long> above = new ArrayList<>(reservation.getAppliedSeqsAbove());
        above.add(seq);
        above.sort(null);
        long watermark = reservation.getAppliedSeqWatermark();
        while (!above.isEmpty() && above.get(0) <= watermark + 1) {
            watermark = Math.max(watermark, above.remove(0));
        }
        reservation.setAppliedSeqWatermark(watermark);
        reservation.setAppliedSeqsAbove(above);
    }
}
