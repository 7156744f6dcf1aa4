package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import dev.budgetmeter.producer.internal.EndReasons;
import dev.budgetmeter.producer.internal.PendingChunks;
import dev.budgetmeter.producer.internal.StreamRecords;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link MeteredStream} on the meter's Kafka producer.
 *
 * <p>Two locks, never held the other way round: the stream's send lock, held around "assign the next seq + hand the
 * event to Kafka" (Kafka appends to the partition in call order, so holding it through {@code send} keeps seq
 * contiguous and in order on the wire, whichever thread sends); and the {@link PendingChunks} monitor, held for a
 * few arithmetic steps. {@code chunk()} takes only the second, so it never waits for a send; the flusher thread and
 * the caller's usage and end calls take the send lock, then drain the pending chunks.
 */
final class KafkaMeteredStream implements MeteredStream {

    private final StreamReservation reservation;
    private final StreamContext context;
    private final StreamRecords records;
    private final PendingChunks pending;
    private final StreamDelivery delivery = new StreamDelivery();
    private final Object sendLock = new Object();
    /** Guarded by sendLock. */
    private long nextSeq;
    /** Set once, under sendLock, by the first terminal call. */
    private volatile CompletableFuture<Void> ended;
    /** Guarded by sendLock. */
    private String endedAs;
    /** Set by writeReserve, before the Reserve goes out. */
    private volatile CompletableFuture<Decision> decision;
    /** The decision once it arrived. */
    private volatile Decision decided;

    KafkaMeteredStream(final StreamReservation reservation, final StreamContext context) {
        this.reservation = reservation;
        this.context = context;
        this.records = context.sender().forStream(reservation.reservationId());
        this.pending = context.newPendingChunks();
    }

    /**
     * Writes the Reserve, seq 0, as the admission describes it; when it cannot be written, undoes the admission
     * (forgets the expected decision, releases what a Cycles server held).
     *
     * @throws DeliveryFailedException when Kafka did not take it within the block timeout
     * @throws IllegalStateException   when the meter's close ended the stream first
     */
    void writeReserve(final Admission admission) {
        synchronized (sendLock) {
            try {
                ensureNotEnded("open()");
                send(EventType.RESERVE, AvroMapping.reserve(reservation, admission.reserveKey(),
                        admission.replyPartition()), context.clock().millis());
            } catch (final RuntimeException notWritten) {
                admission.notWritten().run();
                throw notWritten;
            }
            decision = admission.decision().whenComplete((answer, failure) -> decided = answer);
        }
    }

    /**
     * Waits for the decision, for {@link DecisionMode#WAIT}: returns when allowed; when refused or not answered in
     * time, ends the stream (cancelled, so that the topology releases whatever is held for it) and throws.
     *
     * @throws BudgetRefusedException   when the authority refused the reservation
     * @throws DecisionTimeoutException when no decision came within the decision timeout
     */
    void awaitAllowed() {
        final Decision answer;
        try {
            answer = decision.join();
        } catch (final CompletionException e) {
            cancel(e.getCause() instanceof DecisionTimeoutException ? "no decision" : "decision failed");
            throw e.getCause() instanceof BudgetMeterException known ? known
                    : new BudgetMeterException("the decision on " + reservationId() + " failed", e.getCause());
        }
        if (!answer.allowed()) {
            cancel("refused: " + answer.reasonCode().orElse("DENY"));
            throw new BudgetRefusedException(reservationId(), answer);
        }
    }

    @Override
    public String reservationId() {
        return reservation.reservationId();
    }

    @Override
    public StreamReservation reservation() {
        return reservation;
    }

    @Override
    public CompletableFuture<Decision> decision() {
        return decision.copy();
    }

    @Override
    public Optional<Caps> caps() {
        final Decision answer = decided;
        return answer != null ? answer.caps() : reservation.caps();
    }

    @Override
    public long effectiveMaxTokens(final long requested) {
        return caps().map(caps -> caps.effectiveMaxTokens(requested))
                .orElseGet(() -> Checks.nonNegative("requested", requested));
    }

    @Override
    public void chunk(final long outputTokens) {
        chunk(outputTokens, 0);
    }

    @Override
    public void chunk(final long outputTokens, final long inputTokens) {
        Checks.nonNegative("outputTokens", outputTokens);
        Checks.nonNegative("inputTokens", inputTokens);
        if (context.coalescing()) {
            if (pending.add(outputTokens, inputTokens)) {
                context.flusher().request(this::flushPending);
            }
            context.reporter().coalescedChunkCall();
        } else {
            synchronized (sendLock) {
                ensureNotEnded("chunk()");
                send(EventType.CHUNK, new Chunk(outputTokens, inputTokens, 1), context.clock().millis());
            }
        }
        // After the tokens were counted: they were generated, so they are spend, refused or not.
        final Decision answer = decided;
        if (answer != null && !answer.allowed()) {
            throw new BudgetRefusedException(reservationId(), answer);
        }
    }

    @Override
    public void usage(final long inputTokens, final long outputTokens) {
        usage(Usage.of(inputTokens, outputTokens));
    }

    @Override
    public void usage(final Usage usage) {
        Checks.required("usage", usage);
        usage.actual().ifPresent(actual -> {
            if (actual.unit() != reservation.estimate().unit()) {
                throw new IllegalArgumentException("usage.actual is in " + actual.unit()
                        + " but the reservation's estimate is in " + reservation.estimate().unit());
            }
        });
        synchronized (sendLock) {
            ensureNotEnded("usage()");
            sendPendingChunks();
            send(EventType.USAGE, AvroMapping.usage(usage), context.clock().millis());
        }
    }

    @Override
    public CompletableFuture<Void> complete() {
        return end(Outcome.COMPLETED, null);
    }

    @Override
    public CompletableFuture<Void> fail(final Throwable cause) {
        return end(Outcome.FAILED, EndReasons.of(cause));
    }

    @Override
    public CompletableFuture<Void> cancel(final String reason) {
        return end(Outcome.CANCELLED, EndReasons.truncate(reason));
    }

    @Override
    public boolean isEnded() {
        return ended != null;
    }

    @Override
    public void close() {
        end(Outcome.FAILED, EndReasons.CLOSED_WITHOUT_COMPLETION);
    }

    /** The meter is closing: ends the stream unless it ended already. */
    void endBecauseMeterClosed() {
        end(Outcome.FAILED, EndReasons.METER_CLOSED);
    }

    /** Writes the pending chunks if they are due; for the flusher's scan. */
    void flushIfDue() {
        if (pending.isDue()) {
            flushPending();
        }
    }

    /**
     * Writes the pending chunks now, unless the stream ended. A refusal was reported by the sender and the tokens
     * stay pending for the next attempt, so it is not thrown: no caller waits on this.
     *
     * @return false when Kafka refused the chunk event (so a caller flushing many streams can stop waiting)
     */
    boolean flushPending() {
        synchronized (sendLock) {
            if (ended != null) {
                return true;
            }
            try {
                sendPendingChunks();
                return true;
            } catch (final DeliveryFailedException reportedAndKeptPending) {
                return false;
            }
        }
    }

    private CompletableFuture<Void> end(final Outcome outcome, final String reason) {
        synchronized (sendLock) {
            if (ended == null) {
                endedAs = reason == null ? outcome.name() : outcome + ": " + reason;
                ended = delivery.outcome();
                writeEnd(outcome, reason);
                context.onEnded().accept(this);
            }
            return ended;
        }
    }

    private void writeEnd(final Outcome outcome, final String reason) {
        final PendingChunks.ChunkCounts last =
                pending.drainAndEnd("reservation " + reservationId() + " ended " + endedAs);
        if (nextSeq == 0) {
            // The meter closed while this stream was opening: no Reserve went out, so no End may follow it.
            delivery.nothingWritten();
            return;
        }
        try {
            if (last != null) {
                sendChunk(last);
            }
            send(EventType.END, new End(outcome, reason), context.clock().millis());
        } catch (final DeliveryFailedException notWritten) {
            // The topology's expiry settles a stream whose End never arrives; the caller learns it here.
            delivery.endNotWritten(notWritten);
        }
    }

    private void sendPendingChunks() {
        final PendingChunks.ChunkCounts counts = pending.drain();
        if (counts == null) {
            return;
        }
        try {
            sendChunk(counts);
        } catch (final DeliveryFailedException refused) {
            pending.restore(counts);
            throw refused;
        }
    }

    private void sendChunk(final PendingChunks.ChunkCounts counts) {
        send(EventType.CHUNK, new Chunk(counts.outputTokens(), counts.inputTokens(), counts.chunks()),
                counts.drainedAtMillis());
    }

    /** Assigns the next seq and hands the event over; the seq is used up only if Kafka accepted the event. */
    private void send(final EventType type, final Object body, final long occurredAtMillis) {
        context.sender().send(records, nextSeq, occurredAtMillis, type, body, delivery);
        nextSeq++;
    }

    private void ensureNotEnded(final String call) {
        if (ended != null) {
            throw new IllegalStateException(call + " on reservation " + reservationId() + " after the stream ended ("
                    + endedAs + ")");
        }
    }
}
