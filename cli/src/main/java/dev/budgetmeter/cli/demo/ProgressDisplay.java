package dev.budgetmeter.cli.demo;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Live progress on the console: the current phase, the time since start and a status line of counters. On a
 * terminal it redraws one line in place ({@code \r}) four times a second; elsewhere (CI, a pipe) it prints a plain
 * line when the phase changes and every few seconds, so a log holds a readable trace instead of a flood.
 *
 * <p>Its one thread is a daemon and ends with {@link #close()}.
 */
public final class ProgressDisplay implements AutoCloseable {

    private static final long INTERACTIVE_PERIOD_MS = 250;
    private static final long PLAIN_PERIOD_MS = 5_000;
    /** A redrawn line must not wrap, or each redraw leaves a line behind. */
    private static final int DEFAULT_WIDTH = 80;

    private final PrintWriter out;
    private final boolean interactive;
    private final int width;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final ScheduledExecutorService ticker;
    private volatile String phase = "";
    private volatile Supplier<String> status = () -> "";
    private int lastWidth;

    /**
     * @param interactive true to redraw one line in place (a terminal), false for plain periodic lines
     * @param width       longest redrawn line; longer ones are cut
     */
    public ProgressDisplay(final PrintWriter out, final boolean interactive, final int width,
                           final LongSupplier nanoClock) {
        this.out = out;
        this.interactive = interactive;
        this.width = width;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "budget-meter-progress");
            thread.setDaemon(true);
            return thread;
        });
        final long period = interactive ? INTERACTIVE_PERIOD_MS : PLAIN_PERIOD_MS;
        ticker.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    }

    /** A display for this process's console: interactive when stdout is a terminal. */
    public static ProgressDisplay forConsole(final PrintWriter out) {
        final String term = System.getenv("TERM");
        return new ProgressDisplay(out, System.console() != null && !"dumb".equals(term), terminalWidth(),
                System::nanoTime);
    }

    /** Starts a phase with no counters. */
    public void phase(final String name) {
        phase(name, () -> "");
    }

    /** Starts a phase whose status line shows {@code status}; the previous phase's line is finished first. */
    public synchronized void phase(final String name, final Supplier<String> newStatus) {
        if (!phase.isEmpty() && interactive) {
            draw();
            out.println();
            lastWidth = 0;
        }
        phase = name;
        status = newStatus;
        draw();
    }

    /** Seconds since the display started. */
    public double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    /** Finishes the current line and stops redrawing. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (interactive && !phase.isEmpty()) {
            draw();
            out.println();
        }
        out.flush();
        phase = "";
    }

    /** The terminal's width: $COLUMNS when exported, else what {@code stty size} says, else {@value #DEFAULT_WIDTH}. */
    private static int terminalWidth() {
        final String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return Integer.parseInt(columns);
        }
        try {
            final Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && size.matches("\\d+ \\d+")) {
                return Math.max(40, Integer.parseInt(size.substring(size.indexOf(' ') + 1)));
            }
        } catch (final IOException noStty) {
            // Not a Unix terminal: the default width will do.
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }

    private synchronized void draw() {
        if (phase.isEmpty()) {
            return;
        }
        final String counters = status.get();
        final String line = String.format(Locale.ROOT, "[%5.1fs] %s%s", elapsedSeconds(), phase,
                counters.isEmpty() ? "" : ": " + counters);
        if (interactive) {
            final String fitted = line.length() < width ? line : line.substring(0, width - 1);
            out.print("\r" + fitted + " ".repeat(Math.max(0, lastWidth - fitted.length())));
            lastWidth = fitted.length();
        } else {
            out.println(line);
        }
        out.flush();
    }
}
