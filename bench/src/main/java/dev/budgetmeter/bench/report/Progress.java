package dev.budgetmeter.bench.report;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Live progress of a run on one console line per scenario step. On a terminal the line is rewritten in place; when
 * the output is not a terminal (CI logs, tests), an update is printed as its own line at most once per
 * {@link #LINE_INTERVAL_NANOS}, so logs stay short. Thread-safe.
 */
public final class Progress {

    private static final long LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final PrintStream out;
    private final boolean inPlace;
    private final LongSupplier nanoTime;
    private long lastLineAt = Long.MIN_VALUE;
    private int lastLength;

    /**
     * @param out      where to write
     * @param inPlace  rewrite one line with carriage returns (a terminal) instead of printing lines
     * @param nanoTime the monotonic clock that throttles lines
     */
    public Progress(final PrintStream out, final boolean inPlace, final LongSupplier nanoTime) {
        this.out = out;
        this.inPlace = inPlace;
        this.nanoTime = nanoTime;
    }

    /** Progress on standard error, in place when the JVM has a console. */
    public static Progress toConsole() {
        return new Progress(System.err, System.console() != null, System::nanoTime);
    }

    /** A passing update of a step; may be dropped when not on a terminal. */
    public synchronized void update(final String scenario, final String message) {
        final String line = "[" + scenario + "] " + message;
        if (inPlace) {
            final String padding = " ".repeat(Math.max(0, lastLength - line.length()));
            out.print("\r" + line + padding);
            out.flush();
            lastLength = line.length();
            return;
        }
        final long now = nanoTime.getAsLong();
        if (lastLineAt == Long.MIN_VALUE || now - lastLineAt >= LINE_INTERVAL_NANOS) {
            out.println(line);
            lastLineAt = now;
        }
    }

    /** A line that always stays: the end of a step or a scenario. */
    public synchronized void done(final String scenario, final String message) {
        final String line = "[" + scenario + "] " + message;
        if (inPlace) {
            final String padding = " ".repeat(Math.max(0, lastLength - line.length()));
            out.println("\r" + line + padding);
            lastLength = 0;
        } else {
            out.println(line);
        }
        lastLineAt = Long.MIN_VALUE;
        out.flush();
    }
}
