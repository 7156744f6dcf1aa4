package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The deadline punctuation's cost and the stores' size as the active reservations of one task grow. Immutable.
 *
 * @param points   one per size, ascending
 * @param flatness median punctuation cost at the largest size / at the smallest
 * @param note     what this profile left out, or empty
 */
public record ScaleResult(List<Point> points, double flatness, String note) implements ScenarioResult {

    /** Flat enough: the cost per punctuation may vary by machine noise, not grow with the active count. */
    public static final double FLATNESS_GOAL = 1.5;

    /**
     * Measurements at one size.
     *
     * @param activeReservations     reservations held by the task (all active)
     * @param loadSeconds            how long loading the reservations added at this size took
     * @param loadRate               reservations/s of that load through the test driver
     * @param duePerPunctuation      reservations due (and extended) in each timed punctuation
     * @param handledPerPunctuation  Extend commands written per timed punctuation, on average
     * @param punctuation            time per punctuation (wall-clock advance incl. the commit after it), µs
     * @param drift                  median of the last quarter of the timed punctuations / of the first quarter:
     *                               above 1 when the cost grows with the deadlines handled before
     * @param storedBytes            bytes of every key and value the three stores hold
     * @param bytesPerReservation    storedBytes / activeReservations
     */
    public record Point(long activeReservations, double loadSeconds, double loadRate, int duePerPunctuation,
                        double handledPerPunctuation, Distribution punctuation, double drift, long storedBytes,
                        double bytesPerReservation) {
    }

    @Override
    public List<Goal> goals() {
        final Point smallest = points.get(0);
        final Point largest = points.get(points.size() - 1);
        return List.of(new Goal("scale", "punctuation cost at " + Formats.whole(largest.activeReservations())
                        + " / at " + Formats.whole(smallest.activeReservations()) + " active reservations",
                "~1 (<= " + FLATNESS_GOAL + ")", Formats.fixed(flatness, 2), flatness <= FLATNESS_GOAL, note));
    }

    @Override
    public List<Table> tables() {
        final List<List<String>> rows = points.stream().map(point -> List.of(
                Formats.whole(point.activeReservations()), Formats.fixed(point.loadSeconds(), 1),
                Formats.whole(point.loadRate()), Integer.toString(point.duePerPunctuation()),
                Formats.fixed(point.handledPerPunctuation(), 1), Long.toString(point.punctuation().count()),
                Formats.fixed(point.punctuation().p50(), 0), Formats.fixed(point.punctuation().p90(), 0),
                Formats.fixed(point.punctuation().max(), 0), Formats.fixed(point.drift(), 2),
                Formats.whole(point.storedBytes()),
                Formats.fixed(point.bytesPerReservation(), 1))).toList();
        return List.of(new Table("Punctuation cost and store size by active reservations (flatness "
                + Formats.fixed(flatness, 2) + ")",
                List.of("active", "load s", "load/s", "due/punct.", "extended/punct.", "punctuations", "p50 µs",
                        "p90 µs", "max µs", "drift", "stored bytes", "bytes/reservation"), rows));
    }

    @Override
    public List<String> notes() {
        final List<String> notes = new ArrayList<>(List.of(
                "The real topology in a TopologyTestDriver (one task, RocksDB stores, in-memory registry): this"
                        + " times the punctuator, not the broker. Each size gets a fresh store and the same number"
                        + " of punctuations, after a JIT warm-up on a throwaway store.",
                "Each timed punctuation = advanceWallClockTime(1 s): the deadline range scan, the due reservations'"
                        + " extends (store read and write, index move, Extend command and audit record) and the"
                        + " commit after it. Flatness = median at the largest size / median at the smallest.",
                "Store size: every key and value of the reservations, deadlines and orphans stores as serialized"
                        + " into RocksDB (the stores' own serde: Avro single-object encoding, 10-byte header),"
                        + " divided by the active reservations."
                        + " RocksDB's SST-size metric is not used: Kafka Streams 4.3 keeps recent writes in"
                        + " memtables (a commit no longer flushes them), so it undercounts small stores."));
        notes.add("Drift = median of the last quarter of the timed punctuations / median of the first quarter, at"
                + " one size. Above 1 means the cost grows with the deadlines handled before, not with the active"
                + " count: each handled deadline leaves a deleted index entry that the range scan from the start"
                + " of the index walks until RocksDB compacts it away.");
        if (!note.isEmpty()) {
            notes.add(note);
        }
        return notes;
    }
}
