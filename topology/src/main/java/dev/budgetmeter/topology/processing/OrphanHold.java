package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.internal.BufferedEvent;
import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.InboundEvent;
import dev.budgetmeter.topology.decode.SourceRecord;
import dev.budgetmeter.topology.lifecycle.Outputs;
import dev.budgetmeter.topology.state.DeadlineIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds events of reservations whose Reserve has not arrived (a chunk written by another producer can overtake it)
 * until the Reserve comes, then hands them back in seq order; after the orphan timeout (on the input clock: a Reserve
 * still unread in a backlog is not late), or beyond the per-reservation limit, dead-letters them as ORPHAN. Nothing
 * is dropped: every held event is either applied or dead-lettered.
 */
final class OrphanHold {

    /**
     * Original bytes held per unknown reservation at most: each held event is stored twice (decoded, and its original
     * bytes for a dead letter), and the whole buffer is one store value that must fit a changelog record.
     */
    static final long MAX_HELD_BYTES = 256 * 1024;

    private final KeyValueStore<String, OrphanBuffer> store;
    private final DeadlineIndex deadlines;
    private final DeadLetters deadLetters;
    private final Emitter emitter;
    private final long timeoutMs;
    private final int maxEvents;

    OrphanHold(final KeyValueStore<String, OrphanBuffer> store, final DeadlineIndex deadlines,
               final DeadLetters deadLetters, final Emitter emitter, final long timeoutMs, final int maxEvents) {
        this.store = store;
        this.deadlines = deadlines;
        this.deadLetters = deadLetters;
        this.emitter = emitter;
        this.timeoutMs = timeoutMs;
        this.maxEvents = maxEvents;
    }

    /** Holds an event of an unknown reservation, or dead-letters it when that reservation already holds too many. */
    void hold(final InboundEvent inbound, final long now) {
        final StreamEvent event = inbound.event();
        final String id = event.getReservationId();
        OrphanBuffer buffer = store.get(id);
        if (buffer == null) {
            buffer = new OrphanBuffer(id, now, new ArrayList<>());
            deadlines.add(DeadlineIndex.Kind.ORPHANS, id, deadline(buffer));
        }
        if (buffer.getEvents().size() >= maxEvents || heldBytes(buffer) + bytesOf(inbound) > MAX_HELD_BYTES) {
            emitter.deadLetter(id, deadLetters.of(DeadLetterReason.ORPHAN,
                    "reservation " + id + " is unknown and already holds " + buffer.getEvents().size()
                            + " events waiting for their Reserve, at most " + maxEvents
                            + " (metering.orphan.max.events) and " + MAX_HELD_BYTES + " bytes",
                    null, inbound.source(), id, now), now);
            return;
        }
        buffer.getEvents().add(toBuffered(inbound));
        store.put(id, buffer);
        emitter.audit(id, Outputs.audit(id, AuditKind.ORPHAN_BUFFERED,
                event.getSeq() + ":" + inbound.source().position(), now).setCauseEventId(event.getEventId())
                .setDetail("no Reserve yet: held for up to " + timeoutMs + " ms of input").build(), now);
    }

    /** Takes back the events held for a reservation whose Reserve just arrived, in seq order. */
    List<InboundEvent> release(final String reservationId) {
        final OrphanBuffer buffer = store.get(reservationId);
        if (buffer == null) {
            return List.of();
        }
        store.delete(reservationId);
        deadlines.remove(DeadlineIndex.Kind.ORPHANS, reservationId, deadline(buffer));
        return buffer.getEvents().stream()
                .sorted(Comparator.comparingLong(held -> held.getEvent().getSeq()))
                .map(OrphanHold::toInbound)
                .toList();
    }

    /** Dead-letters the events of a reservation whose orphan timeout is due; a stale deadline is only removed. */
    void expire(final DeadlineIndex.Due due, final long now) {
        final OrphanBuffer buffer = store.get(due.reservationId());
        deadlines.remove(due);
        if (buffer == null || deadline(buffer) != due.at()) {
            return;
        }
        store.delete(due.reservationId());
        for (final BufferedEvent held : buffer.getEvents()) {
            final InboundEvent inbound = toInbound(held);
            emitter.deadLetter(due.reservationId(), deadLetters.of(DeadLetterReason.ORPHAN,
                    "no Reserve for reservation " + due.reservationId() + " arrived within " + timeoutMs
                            + " ms of input (metering.orphan.timeout.ms)", null, inbound.source(), due.reservationId(),
                    now), now);
        }
        emitter.audit(due.reservationId(), Outputs.audit(due.reservationId(), AuditKind.ORPHAN_EXPIRED,
                String.valueOf(buffer.getFirstBufferedAtMs()), now)
                .setDetail(buffer.getEvents().size() + " event(s) dead-lettered as ORPHAN").build(), now);
    }

    private static long heldBytes(final OrphanBuffer buffer) {
        long bytes = 0;
        for (final BufferedEvent held : buffer.getEvents()) {
            bytes += held.getOriginalValue() == null ? 0 : held.getOriginalValue().remaining();
        }
        return bytes;
    }

    private static long bytesOf(final InboundEvent inbound) {
        return inbound.source().value() == null ? 0 : inbound.source().value().length;
    }

    private long deadline(final OrphanBuffer buffer) {
        return buffer.getFirstBufferedAtMs() + timeoutMs;
    }

    private static BufferedEvent toBuffered(final InboundEvent inbound) {
        final SourceRecord source = inbound.source();
        return new BufferedEvent(inbound.event(), source.topic(), source.partition(), source.offset(),
                source.timestamp(), wrap(source.key()), wrap(source.value()));
    }

    private static InboundEvent toInbound(final BufferedEvent held) {
        return new InboundEvent(held.getEvent(), new SourceRecord(held.getSourceTopic(), held.getSourcePartition(),
                held.getSourceOffset(), held.getSourceTimestamp(), bytes(held.getOriginalKey()),
                bytes(held.getOriginalValue())));
    }

    private static ByteBuffer wrap(final byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
