package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One simulated LLM stream: its Reserve at {@code startTick}, one Chunk per tick after it, then (in the tick after
 * the last chunk) the provider's Usage totals if it reports them and the End unless it is abandoned. Events carry the
 * time they are built at, as a worker's would. Immutable.
 *
 * @param reservationId the key of every event
 * @param ending        how the worker ends it
 * @param startTick     the tick of its Reserve
 * @param chunks        tokens of each Chunk, in order
 * @param usage         the provider's totals, when reported (they win over the chunk sums)
 * @param estimate      the worst case reserved, USD microcents
 * @param ttlMs         the hold's ttl
 * @param gracePeriodMs the hold's grace after its expiry (the Reserve's grace_period_ms)
 */
public record StreamPlan(String reservationId, Ending ending, int startTick, List<Tokens> chunks,
                         Optional<Tokens> usage, long estimate, long ttlMs, long gracePeriodMs) {

    /** The reason a failed stream's End carries. */
    public static final String FAILURE_REASON = "provider_error";

    public StreamPlan {
        chunks = List.copyOf(chunks);
    }

    /** This plan with another grace period on its hold. */
    public StreamPlan withGracePeriod(final long graceMs) {
        return new StreamPlan(reservationId, ending, startTick, chunks, usage, estimate, ttlMs, graceMs);
    }

    /** The tick of the stream's last event. */
    public int lastTick() {
        return startTick + chunks.size() + (hasClosingTick() ? 1 : 0);
    }

    /** The events due at {@code tick}, stamped {@code now}; empty when none is. */
    public List<StreamEvent> eventsAt(final int tick, final Instant now) {
        final int step = tick - startTick;
        if (step == 0) {
            return List.of(reserve(now));
        }
        if (step >= 1 && step <= chunks.size()) {
            return List.of(chunk(step, now));
        }
        if (step == chunks.size() + 1 && hasClosingTick()) {
            return closing(now);
        }
        return List.of();
    }

    /** Every event of the stream in seq order, all stamped {@code now}. */
    public List<StreamEvent> allEvents(final Instant now) {
        final List<StreamEvent> events = new ArrayList<>();
        for (int tick = startTick; tick <= lastTick(); tick++) {
            events.addAll(eventsAt(tick, now));
        }
        return events;
    }

    /** The seq the next event after this plan's last one would have: for late events. */
    public long nextSeq() {
        return 1L + chunks.size() + (usage.isPresent() ? 1 : 0) + (ending == Ending.ABANDONED ? 0 : 1);
    }

    /** What the worker's provider bills: its totals when reported, else the chunk sums. */
    public Tokens billedTokens() {
        return usage.orElseGet(() -> chunks.stream().reduce(Tokens.NONE, Tokens::plus));
    }

    /** The terminal command the stream gets when nothing goes wrong. */
    public PlannedTerminal plannedTerminal() {
        final boolean billable = billedTokens().billable();
        return switch (ending) {
            case COMPLETED -> PlannedTerminal.commit(Settlement.COMPLETED);
            case FAILED -> billable ? PlannedTerminal.commit(Settlement.PARTIAL_ON_FAILURE)
                    : PlannedTerminal.release(FAILURE_REASON);
            case CANCELLED -> billable ? PlannedTerminal.commit(Settlement.PARTIAL_ON_FAILURE)
                    : PlannedTerminal.release("cancelled");
            case ABANDONED -> billable ? PlannedTerminal.commit(Settlement.PARTIAL_ON_TIMEOUT)
                    : PlannedTerminal.release("idle_timeout");
        };
    }

    private boolean hasClosingTick() {
        return usage.isPresent() || ending != Ending.ABANDONED;
    }

    private StreamEvent reserve(final Instant now) {
        return StreamEventFixture.reserve(reservationId, now.toEpochMilli(),
                WorkloadSubject.reserveBody(reservationId, estimate, ttlMs).setGracePeriodMs(gracePeriodMs).build());
    }

    private StreamEvent chunk(final int index, final Instant now) {
        final Tokens tokens = chunks.get(index - 1);
        return StreamEventFixture.chunk(reservationId, index, now.toEpochMilli(), tokens.output(), tokens.input());
    }

    private List<StreamEvent> closing(final Instant now) {
        final List<StreamEvent> events = new ArrayList<>();
        long seq = chunks.size() + 1L;
        if (usage.isPresent()) {
            events.add(StreamEventFixture.usage(reservationId, seq++, now.toEpochMilli(), usage.get().input(),
                    usage.get().output(), null));
        }
        switch (ending) {
            case COMPLETED -> events.add(StreamEventFixture.end(reservationId, seq, now.toEpochMilli(),
                    Outcome.COMPLETED, null));
            case FAILED -> events.add(StreamEventFixture.end(reservationId, seq, now.toEpochMilli(), Outcome.FAILED,
                    FAILURE_REASON));
            case CANCELLED -> events.add(StreamEventFixture.end(reservationId, seq, now.toEpochMilli(),
                    Outcome.CANCELLED, null));
            case ABANDONED -> { }
        }
        return events;
    }
}
