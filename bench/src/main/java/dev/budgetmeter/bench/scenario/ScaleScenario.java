package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Scenario 4: the cost of one deadline punctuation and the bytes per reservation at growing numbers of active
 * reservations, with the same small number falling due in every punctuation. With the deadline index the cost
 * follows what is due, so it should stay flat as the active count grows.
 */
public final class ScaleScenario {

    private static final String SCOPE = "scale";
    private static final long MAX_MICROS = 60_000_000L;
    private static final int FULL_LARGEST = 1_000_000;
    private static final int WARM_UP_RESERVATIONS = 5_000;

    private final Profile profile;
    private final Progress progress;

    public ScaleScenario(final Profile profile, final Progress progress) {
        this.profile = profile;
        this.progress = progress;
    }

    public ScaleResult run() {
        final Profile.Scale settings = profile.scale();
        warmUp(settings);
        final List<ScaleResult.Point> points = new ArrayList<>();
        for (final int size : settings.sizes()) {
            try (PunctuationRig rig = new PunctuationRig()) {
                points.add(measure(rig, size, settings));
            }
        }
        final double flatness = points.get(points.size() - 1).punctuation().p50() / points.get(0).punctuation().p50();
        final int largest = settings.sizes().get(settings.sizes().size() - 1);
        final String note = largest < FULL_LARGEST ? "The " + profile.name() + " profile stops at "
                + Formats.whole(largest) + " active reservations; the full profile goes to "
                + Formats.whole(FULL_LARGEST) + "." : "";
        return new ScaleResult(List.copyOf(points), flatness, note);
    }

    /**
     * A small throwaway rig, punctuated untimed, so the JIT has compiled the load and punctuation paths before the
     * first measured size; otherwise that size pays for the warm-up.
     */
    private void warmUp(final Profile.Scale settings) {
        final int size = Math.min(settings.sizes().get(0), WARM_UP_RESERVATIONS);
        progress.update(SCOPE, "warming up on a throwaway store of " + Formats.whole(size));
        try (PunctuationRig rig = new PunctuationRig()) {
            rig.addBackground(size);
            rig.addDue(settings.duePerPunctuation(), settings.warmupPunctuations());
            for (int p = 0; p < settings.warmupPunctuations(); p++) {
                rig.punctuate();
                rig.takeCommands();
            }
        }
    }

    /** One size on a fresh rig, so every size has the same history of handled deadlines. */
    private ScaleResult.Point measure(final PunctuationRig rig, final int size, final Profile.Scale settings) {
        progress.update(SCOPE, "loading " + Formats.whole(size) + " reservations");
        final long loadStart = System.nanoTime();
        rig.addBackground(size);
        final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        final int punctuations = settings.warmupPunctuations() + settings.timedPunctuations();
        rig.addDue(settings.duePerPunctuation(), punctuations);
        rig.takeCommands();
        final long[] timed = new long[settings.timedPunctuations()];
        long handled = 0;
        for (int p = 0; p < punctuations; p++) {
            final long nanos = rig.punctuate();
            final int extended = rig.takeCommands();
            if (p >= settings.warmupPunctuations()) {
                timed[p - settings.warmupPunctuations()] = nanos / 1_000;
                handled += extended;
            }
            progress.update(SCOPE, Formats.whole(rig.reservations()) + " active: punctuation " + (p + 1) + "/"
                    + punctuations + " took " + nanos / 1_000 + " µs");
        }
        final long bytes = rig.storedBytes();
        final ScaleResult.Point point = new ScaleResult.Point(rig.reservations(), loadSeconds,
                size / Math.max(loadSeconds, 1e-9), settings.duePerPunctuation(),
                (double) handled / settings.timedPunctuations(), distribution(timed), drift(timed), bytes,
                (double) bytes / rig.reservations());
        progress.done(SCOPE, Formats.whole(point.activeReservations()) + " active: punctuation p50 "
                + Formats.fixed(point.punctuation().p50(), 0) + " µs (drift " + Formats.fixed(point.drift(), 2)
                + "), " + Formats.fixed(point.bytesPerReservation(), 1) + " bytes/reservation, loaded in "
                + Formats.fixed(loadSeconds, 1) + " s");
        return point;
    }

    private static Distribution distribution(final long[] micros) {
        final Histogram histogram = Distribution.newHistogram(MAX_MICROS);
        for (final long value : micros) {
            histogram.recordValue(value);
        }
        return Distribution.of(histogram, 1.0, "µs");
    }

    /** Median of the last quarter of the timed punctuations / median of the first quarter. */
    static double drift(final long[] micros) {
        final int quarter = Math.max(1, micros.length / 4);
        return median(Arrays.copyOfRange(micros, micros.length - quarter, micros.length))
                / median(Arrays.copyOfRange(micros, 0, quarter));
    }

    private static double median(final long[] values) {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
