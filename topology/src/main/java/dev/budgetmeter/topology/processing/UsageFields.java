package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.internal.UsageState;

/**
 * The usage fields of a reservation (token sums, the provider's totals, applied seqs, event times, events not yet
 * audited) as the
 * {@link UsageState} stored apart from its snapshot, and back: {@link #of} then {@link #over} gives a snapshot equal
 * to the one they were taken from.
 */
public final class UsageFields {

    private UsageFields() {
    }

    /** The usage fields of the snapshot. */
    public static UsageState of(final ReservationSnapshot snapshot) {
        // The all-fields constructor, not the builder: this runs once per chunk, and the builder validates each
        // field against the schema.
        return new UsageState(snapshot.getAppliedSeqWatermark(), snapshot.getAppliedSeqsAbove(),
                snapshot.getLastEventAtMs(), snapshot.getLastActivityMs(), snapshot.getChunkTokensInput(),
                snapshot.getChunkTokensOutput(), snapshot.getChunks(), snapshot.getUnauditedEvents(),
                snapshot.getUnauditedFirstSeq(), snapshot.getUnauditedLastSeq(), snapshot.getReportedUsage());
    }

    /** A new snapshot: {@code stored} with the newer usage fields of {@code usage}. */
    public static ReservationSnapshot over(final ReservationSnapshot stored, final UsageState usage) {
        return ReservationSnapshot.newBuilder(stored)
                .setAppliedSeqWatermark(usage.getAppliedSeqWatermark())
                .setAppliedSeqsAbove(usage.getAppliedSeqsAbove())
                .setLastEventAtMs(usage.getLastEventAtMs())
                .setLastActivityMs(usage.getLastActivityMs())
                .setChunkTokensInput(usage.getChunkTokensInput())
                .setChunkTokensOutput(usage.getChunkTokensOutput())
                .setChunks(usage.getChunks())
                .setUnauditedEvents(usage.getUnauditedEvents())
                .setUnauditedFirstSeq(usage.getUnauditedFirstSeq())
                .setUnauditedLastSeq(usage.getUnauditedLastSeq())
                .setReportedUsage(usage.getReportedUsage())
                .build();
    }
}
