package dev.budgetmeter.topology.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An index of deadlines over a key-value store, keyed by (kind, deadline, reservation id) in byte order, so that
 * finding what is due of one kind is a range scan from the start of that kind up to a time: its cost grows with the
 * work that is due, not with the number of reservations. Kinds are kept apart because they are due on different
 * clocks (see {@link Kind}). One entry per (kind, reservation); callers move an entry by removing the old deadline
 * and adding the new one.
 *
 * <p>Key layout: 1 kind byte (never 0), 8-byte big-endian deadline (non-negative epoch ms, so byte order is time
 * order), the reservation id in UTF-8. Values are empty. Entries written by versions before the kinds were split
 * ({@link Kind#LEGACY_RESERVATION}, {@link Kind#LEGACY_ORPHANS}: deadline first, then the kind byte) start with a 0
 * byte, because epoch milliseconds stay below 2^56: they sort before every current entry and are scanned as their own
 * range until the last one is handled.
 *
 * <p>Scans start at a low watermark per kind below which every entry has been handled, not at the start of the
 * kind: handled entries are deleted, and a scan from the start would walk their tombstones again until the store
 * compacts them. The watermarks live in memory (a new instance, after a restart or a rebalance, scans once from the
 * start) and an entry added below one lowers it, so nothing due is ever skipped.
 */
public final class DeadlineIndex {

    private static final byte[] EMPTY = new byte[0];
    private static final int HEADER = 1 + Long.BYTES;

    /** What a deadline is for, and on which clock it falls due. */
    public enum Kind {
        /** A reservation's next look on the wall clock: extend, hold expiry, late usage to debit. */
        HOLD((byte) 1),
        /** The orphan timeout of the buffered events of an unknown reservation, on the input clock. */
        ORPHANS((byte) 2),
        /** A reservation's next look on the input clock: idle timeout, end of retention. */
        INPUT((byte) 3),
        /** A reservation's next look in the earlier layout (any clock): found due on the wall clock, never added. */
        LEGACY_RESERVATION((byte) 1),
        /** An orphan timeout in the earlier layout: found due on the wall clock, never added. */
        LEGACY_ORPHANS((byte) 2);

        /** The kind byte: first in the current layout, after the deadline in the earlier one. */
        private final byte code;

        Kind(final byte code) {
            this.code = code;
        }

        boolean legacy() {
            return this == LEGACY_RESERVATION || this == LEGACY_ORPHANS;
        }

        static Kind of(final byte code, final boolean legacy) {
            for (final Kind kind : values()) {
                if (kind.code == code && kind.legacy() == legacy) {
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
    private final long[] scanFrom = new long[Kind.values().length];

    public DeadlineIndex(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    public void add(final Kind kind, final String reservationId, final long at) {
        store.put(key(kind, at, reservationId), EMPTY);
        lowerWatermark(kind, at);
    }

    public void remove(final Kind kind, final String reservationId, final long at) {
        // put(null), not delete: a delete reads the old value first.
        store.put(key(kind, at, reservationId), null);
    }

    /** Removes the entry of a due deadline, in the layout it was found in. */
    public void remove(final Due due) {
        store.put(due.kind().legacy() ? legacyKey(due.at(), due.kind(), due.reservationId())
                : key(due.kind(), due.at(), due.reservationId()), null);
    }

    /** Moves an entry; either deadline may be null (no entry before, or none after). */
    public void move(final Kind kind, final String reservationId, final Long from, final Long to) {
        if (from != null && from.equals(to)) {
            lowerWatermark(kind, to);
            return;
        }
        if (from != null) {
            remove(kind, reservationId, from);
        }
        if (to != null) {
            final Bytes key = key(kind, to, reservationId);
            if (from == null) {
                // The reservation's first entry of this kind, so normally absent: reading it tells a write-behind
                // store so, and then an entry removed again before the commit (a short stream's) never reaches
                // RocksDB or the changelog.
                store.get(key);
            }
            store.put(key, EMPTY);
            lowerWatermark(kind, to);
        }
    }

    /**
     * The deadlines of {@code kind} at or before {@code until}, earliest first, at most {@code limit} of them. The
     * caller handles each (removing or moving its entry) before the next call. Both legacy kinds are one range: a
     * scan of either returns entries of both.
     */
    public List<Due> due(final Kind kind, final long until, final int limit) {
        final List<Due> due = new ArrayList<>();
        final long upTo = Math.max(0, until);
        final int watermark = kind.legacy() ? Kind.LEGACY_RESERVATION.ordinal() : kind.ordinal();
        final long from = scanFrom[watermark];
        if (from > upTo || limit <= 0) {
            return due;
        }
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(bound(kind, from, (byte) 0),
                bound(kind, upTo, (byte) 0xFF))) {
            while (entries.hasNext() && due.size() < limit) {
                due.add(decode(entries.next().key));
            }
        }
        // Everything up to until is in hand; when the limit cut the scan short, the rest starts at the last deadline.
        scanFrom[watermark] = due.size() < limit ? upTo + 1 : due.get(due.size() - 1).at();
        return due;
    }

    private void lowerWatermark(final Kind kind, final long at) {
        scanFrom[kind.ordinal()] = Math.min(scanFrom[kind.ordinal()], Math.max(0, at));
    }

    static Bytes key(final Kind kind, final long at, final String reservationId) {
        final byte[] id = reservationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(HEADER + id.length).put(kind.code).putLong(Math.max(0, at)).put(id)
                .array());
    }

    /** The key layout of earlier versions: deadline, then the kind byte, then the id. */
    static Bytes legacyKey(final long at, final Kind kind, final String reservationId) {
        final byte[] id = reservationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(HEADER + id.length).putLong(Math.max(0, at)).put(kind.code).put(id)
                .array());
    }

    private static Bytes bound(final Kind kind, final long at, final byte last) {
        if (kind.legacy()) {
            return Bytes.wrap(ByteBuffer.allocate(HEADER).putLong(at).put(last).array());
        }
        return Bytes.wrap(ByteBuffer.allocate(HEADER + 1).put(kind.code).putLong(at).put(last).array());
    }

    static Due decode(final Bytes key) {
        final byte[] bytes = key.get();
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final String id = new String(bytes, HEADER, bytes.length - HEADER, StandardCharsets.UTF_8);
        if (bytes[0] == 0) {
            final long at = buffer.getLong();
            return new Due(at, Kind.of(buffer.get(), true), id);
        }
        final Kind kind = Kind.of(buffer.get(), false);
        return new Due(buffer.getLong(), kind, id);
    }
}
