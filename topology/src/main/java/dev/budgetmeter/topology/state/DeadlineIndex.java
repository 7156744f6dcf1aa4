package dev.budgetmeter.topology.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An index of deadlines over a key-value store, keyed by (deadline, kind, reservation id) in byte order, so that
 * finding what is due is a range scan from the start up to now: its cost grows with the work that is due, not with
 * the number of reservations. One entry per (kind, reservation); callers move an entry by removing the old deadline
 * and adding the new one.
 *
 * <p>Key layout: 8-byte big-endian deadline (non-negative epoch ms, so byte order is time order), 1 kind byte, the
 * reservation id in UTF-8. Values are empty.
 */
public final class DeadlineIndex {

    private static final byte[] EMPTY = new byte[0];
    private static final int HEADER = Long.BYTES + 1;

    /** What a deadline is for. */
    public enum Kind {
        /** The next check of a reservation: heartbeat, idle timeout, exhausted extensions, end of retention. */
        RESERVATION((byte) 1),
        /** The orphan timeout of the buffered events of an unknown reservation. */
        ORPHANS((byte) 2);

        private final byte code;

        Kind(final byte code) {
            this.code = code;
        }

        static Kind of(final byte code) {
            for (final Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalStateException("unknown deadline kind " + code);
        }
    }

    /** A deadline that is due. */
    public record Due(long at, Kind kind, String reservationId) {
    }

    private final KeyValueStore<Bytes, byte[]> store;

    public DeadlineIndex(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    public void add(final Kind kind, final String reservationId, final long at) {
        store.put(key(at, kind, reservationId), EMPTY);
    }

    public void remove(final Kind kind, final String reservationId, final long at) {
        store.delete(key(at, kind, reservationId));
    }

    /** Moves an entry; either deadline may be null (no entry before, or none after). */
    public void move(final Kind kind, final String reservationId, final Long from, final Long to) {
        if (from != null && from.equals(to)) {
            return;
        }
        if (from != null) {
            remove(kind, reservationId, from);
        }
        if (to != null) {
            add(kind, reservationId, to);
        }
    }

    /** The deadlines at or before {@code now}, earliest first, at most {@code limit} of them. */
    public List<Due> due(final long now, final int limit) {
        final List<Due> due = new ArrayList<>();
        final Bytes upTo = Bytes.wrap(ByteBuffer.allocate(HEADER).putLong(Math.max(0, now)).put((byte) 0xFF).array());
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(null, upTo)) {
            while (entries.hasNext() && due.size() < limit) {
                final KeyValue<Bytes, byte[]> entry = entries.next();
                due.add(decode(entry.key.get()));
            }
        }
        return due;
    }

    static Bytes key(final long at, final Kind kind, final String reservationId) {
        final byte[] id = reservationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(HEADER + id.length).putLong(Math.max(0, at)).put(kind.code).put(id)
                .array());
    }

    static Due decode(final byte[] key) {
        final ByteBuffer buffer = ByteBuffer.wrap(key);
        final long at = buffer.getLong();
        final Kind kind = Kind.of(buffer.get());
        return new Due(at, kind, new String(key, HEADER, key.length - HEADER, StandardCharsets.UTF_8));
    }
}
