package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.InboundEvent;
import dev.budgetmeter.topology.decode.InputTenancy;
import dev.budgetmeter.topology.decode.SourceRecord;
import dev.budgetmeter.topology.lifecycle.Lifecycle;
import dev.budgetmeter.topology.lifecycle.Transition;
import dev.budgetmeter.topology.rules.Rejection;
import dev.budgetmeter.topology.state.DeadlineIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Applies the {@link Lifecycle} to the stored reservations of one task (their events, and the budget ledger's
 * decisions on their Reserves): reads the reservation, runs the transition,
 * writes the result, keeps the deadline index in step with the snapshot's {@code next_check_at_ms}, and emits the
 * commands, audit records and dead letters. An event its input topic may not carry for the reservation's tenant
 * ({@link InputTenancy}) is dead-lettered before it touches the reservation, orphans included. Used by both the
 * event processor and the deadline punctuator, so that an event and a timer go through exactly the same write path.
 *
 * <p>It knows which reservations have events not yet audited (chunks are audited per interval, not per event): each
 * is audited by {@link #auditUsage} at the next punctuation unless a transition audits them first. That set is only
 * an index of what the stores say: it is rebuilt from them whenever the task starts ({@link #unaudited}), so events
 * whose transaction committed before a crash are audited after it.
 */
public final class ReservationLedger {

    private final Lifecycle lifecycle;
    private final LiveReservations reservations;
    private final DeadlineIndex deadlines;
    private final OrphanHold orphans;
    private final DeadLetters deadLetters;
    private final Emitter emitter;
    private final InputTenancy tenancy;
    /** Reservations with events applied and not audited yet, oldest first. */
    private final Set<String> unaudited = new LinkedHashSet<>();

    ReservationLedger(final Lifecycle lifecycle, final LiveReservations reservations,
                      final DeadlineIndex deadlines, final OrphanHold orphans, final DeadLetters deadLetters,
                      final Emitter emitter, final InputTenancy tenancy) {
        this.lifecycle = lifecycle;
        this.reservations = reservations;
        this.deadlines = deadlines;
        this.orphans = orphans;
        this.deadLetters = deadLetters;
        this.emitter = emitter;
        this.tenancy = tenancy;
    }

    /** Applies the budget ledger's decision on a Reserve of this task. */
    void onDecision(final Decision decision, final long now) {
        final String id = decision.getReservationId();
        try {
            final Transition transition = lifecycle.onDecision(reservations.get(id), decision, now);
            if (transition != null) {
                apply(id, transition, null, now);
            }
        } catch (final RuntimeException e) {
            reservations.forget(id);
            throw e;
        }
    }

    /** Applies a Cycles server's answer to a command; an answer about an unknown reservation changes nothing. */
    void onResult(final CommandResult result, final long now) {
        final String id = result.getReservationId();
        try {
            final Transition transition = lifecycle.onResult(reservations.get(id), result, now);
            if (transition != null) {
                apply(id, transition, null, now);
            }
        } catch (final RuntimeException e) {
            reservations.forget(id);
            throw e;
        }
    }

    /** Applies one valid event; events of an unknown reservation are held until its Reserve arrives. */
    void onEvent(final InboundEvent inbound, final long now) {
        final String id = inbound.event().getReservationId();
        try {
            applyEvent(id, inbound, now);
        } catch (final RuntimeException e) {
            // The exception handler may dead-letter the event and go on: the next read must not see a half-applied
            // snapshot.
            reservations.forget(id);
            throw e;
        }
    }

    private void applyEvent(final String id, final InboundEvent inbound, final long now) {
        final ReservationSnapshot current = reservations.get(id);
        if (current == null && !(inbound.event().getBody() instanceof Reserve)) {
            orphans.hold(inbound, now);
            return;
        }
        final String tenant = current != null ? current.getSubject().getTenant()
                : ((Reserve) inbound.event().getBody()).getSubject().getTenant();
        if (refusedForItsTopic(id, inbound, tenant, now)) {
            return;
        }
        apply(id, lifecycle.onEvent(current, inbound.event(), inbound.source().position(), now), inbound.source(),
                now);
        if (current == null) {
            for (final InboundEvent held : orphans.release(id)) {
                if (!refusedForItsTopic(id, held, tenant, now)) {
                    apply(id, lifecycle.onEvent(reservations.get(id), held.event(), held.source().position(), now),
                            held.source(), now);
                }
            }
        }
    }

    /** Dead-letters an event its topic may not carry for a reservation of {@code tenant} ({@link InputTenancy}). */
    private boolean refusedForItsTopic(final String id, final InboundEvent inbound, final String tenant,
                                       final long now) {
        final Optional<Rejection> refused = tenancy.check(inbound.source(), tenant);
        refused.ifPresent(rejection -> emitter.deadLetter(id, deadLetters.of(rejection.reason(), rejection.message(),
                null, inbound.source(), id, now), now));
        return refused.isPresent();
    }

    /**
     * Handles one due deadline; an entry that no longer matches its reservation is only removed.
     *
     * @param inputTime the input clock of the reservation's partition
     */
    void onDue(final DeadlineIndex.Due due, final long now, final long inputTime) {
        if (due.kind() == DeadlineIndex.Kind.ORPHANS || due.kind() == DeadlineIndex.Kind.LEGACY_ORPHANS) {
            orphans.expire(due, now);
            return;
        }
        final ReservationSnapshot current = reservations.get(due.reservationId());
        if (due.kind() == DeadlineIndex.Kind.LEGACY_RESERVATION) {
            // An entry of the earlier layout: checking its reservation replaces it with entries of the current one.
            deadlines.remove(due);
            if (current == null || !Objects.equals(current.getNextCheckAtMs(), due.at())) {
                return;
            }
        } else if (current == null || !Objects.equals(scheduledAt(current, due.kind()), due.at())) {
            deadlines.remove(due);
            return;
        }
        try {
            apply(due.reservationId(), lifecycle.onCheck(current, now, inputTime), null, now);
        } catch (final RuntimeException e) {
            reservations.forget(due.reservationId());
            throw e;
        }
    }

    /** Marks reservations the stores hold with events not audited yet, as found when the task starts. */
    void unaudited(final Collection<String> ids) {
        unaudited.addAll(ids);
    }

    /**
     * Audits the events applied since their reservation's last audit record, one record per reservation (oldest
     * first), at most {@code limit} reservations; the rest wait for the next call.
     *
     * @return how many reservations were audited
     */
    int auditUsage(final long now, final int limit) {
        final List<String> due = new ArrayList<>(Math.min(limit, unaudited.size()));
        for (final String id : unaudited) {
            if (due.size() >= limit) {
                break;
            }
            due.add(id);
        }
        for (final String id : due) {
            try {
                final Transition transition = lifecycle.onUsageDue(reservations.get(id), now);
                if (transition == null) {
                    unaudited.remove(id);
                } else {
                    apply(id, transition, null, now);
                }
            } catch (final RuntimeException e) {
                reservations.forget(id);
                throw e;
            }
        }
        return due.size();
    }

    /** The deadline of the due entry's kind that the reservation says it is indexed at. */
    private static Long scheduledAt(final ReservationSnapshot reservation, final DeadlineIndex.Kind kind) {
        return kind == DeadlineIndex.Kind.INPUT ? reservation.getNextInputCheckAtMs()
                : reservation.getNextCheckAtMs();
    }

    private void apply(final String id, final Transition transition, final SourceRecord source, final long now) {
        switch (transition.store()) {
            case PUT -> reservations.put(id, transition.snapshot());
            case USAGE -> reservations.putUsage(id, transition.snapshot());
            case DELETE -> reservations.delete(id);
            case KEEP -> { }
        }
        if (transition.snapshot() != null && transition.snapshot().getUnauditedEvents() > 0) {
            unaudited.add(id);
        } else if (transition.store() != Transition.Store.KEEP) {
            unaudited.remove(id);
        }
        deadlines.move(DeadlineIndex.Kind.HOLD, id, transition.before().hold(), transition.after().hold());
        deadlines.move(DeadlineIndex.Kind.INPUT, id, transition.before().input(), transition.after().input());
        transition.commands().forEach(command -> emitter.command(id, command, now));
        transition.ledgerRequests().forEach(request -> emitter.ledgerRequest(request, now));
        transition.audits().forEach(audit -> emitter.audit(id, audit, now));
        if (transition.rejection() != null) {
            emitter.deadLetter(id, deadLetters.of(transition.rejection().reason(), transition.rejection().message(),
                    null, source, id, now), now);
        }
    }
}
