package dev.budgetmeter.topology.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
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
 *
 * <p>Scans start at a low watermark below which every entry has been handled, not at the start of the index: handled
 * entries are deleted, and a scan from the start would walk their tombstones again until the store compacts them.
 * The watermark lives in memory (a new instance, after a restart or a rebalance, scans once from the start) and an
 * entry added below it lowers it, so nothing due is ever skipped.
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
    private long scanFrom;

    public DeadlineIndex(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    public void add(final Kind kind, final String reservationId, final long at) {
        store.put(key(at, kind, reservationId), EMPTY);
        scanFrom = Math.min(scanFrom, Math.max(0, at));
    }

    public void remove(final Kind kind, final String reservationId, final long at) {
        store.delete(key(at, kind, reservationId));
    }

    /** Moves an entry; either deadline may be null (no entry before, or none after). */
    public void move(final Kind kind, final String reservationId, final Long from, final Long to) {
        if (from != null && from.equals(to)) {
            scanFrom = Math.min(scanFrom, Math.max(0, to));
            return;
        }
        if (from != null) {
            remove(kind, reservationId, from);
        }
        if (to != null) {
            add(kind, reservationId, to);
        }
    }

    /**
     * The deadlines at or before {@code now}, earliest first, at most {@code limit} of them. The caller handles each
     * (removing or moving its entry) before the next call.
     */
    public List<Due> due(final long now, final int limit) {
        final List<Due> due = new ArrayList<>();
        final long until = Math.max(0, now);
        if (scanFrom > until) {
            return due;
        }
        final Bytes from = Bytes.wrap(ByteBuffer.allocate(HEADER).putLong(scanFrom).put((byte) 0).array());
        final Bytes upTo = Bytes.wrap(ByteBuffer.allocate(HEADER).putLong(until).put((byte) 0xFF).array());
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(from, upTo)) {
            while (entries.hasNext() && due.size() < limit) {
                due.add(decode(entries.next().key.get()));
            }
        }
        // Everything up to now is in hand; when the limit cut the scan short, the rest starts at the last deadline.
        scanFrom = due.size() < limit ? until + 1 : due.get(due.size() - 1).at();
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
