package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.InputProgress;
import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.MeteringUnderTest;
import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.PacedSender;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.load.StreamTraffic;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.CommandWatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 2: how long after a stream's End is produced its Commit is visible to a read_committed consumer, at
 * fractions (50% and 80%) of the metering saturation load.
 */
public final class LatencyScenario {

    private static final String SCOPE = "latency";
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final LiveEnvironment env;
    private final Profile profile;
    private final Progress progress;
    private final Clock clock;

    public LatencyScenario(final LiveEnvironment env, final Profile profile, final Progress progress,
                           final Clock clock) {
        this.env = env;
        this.profile = profile;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * @param saturationRate   the metering saturation throughput, events/s
     * @param saturationSource where it comes from, for the report
     */
    public LatencyResult run(final double saturationRate, final String saturationSource) {
        final MeteringUnderTest metering = env.metering();
        final CommandWatcher watcher = env.meteringCommands();
        final EventTemplates templates = env.templates(StreamShape.completed(profile.throughput().chunksPerStream()));
        final InputProgress input = env.progressOf(metering);
        final List<LatencyResult.AtLoad> loads = new ArrayList<>();
        for (final double fraction : profile.latency().fractions()) {
            final double rate = fraction * saturationRate;
            awaitDrained(input);
            loads.add(measure(fraction, rate, templates, metering, watcher));
            final LatencyResult.AtLoad load = loads.get(loads.size() - 1);
            progress.done(SCOPE, Formats.whole(fraction * 100) + "% load (" + Formats.whole(rate)
                    + " events/s): p50 " + Formats.fixed(load.latency().p50(), 1) + " ms, p99 "
                    + Formats.fixed(load.latency().p99(), 1) + " ms, max " + Formats.fixed(load.latency().max(), 1)
                    + " ms over " + load.streams() + " streams");
        }
        return new LatencyResult(saturationRate, saturationSource, metering.commitInterval().toMillis(), loads);
    }

    private LatencyResult.AtLoad measure(final double fraction, final double rate, final EventTemplates templates,
                                         final MeteringUnderTest metering, final CommandWatcher watcher) {
        final SettlementProbe probe = new SettlementProbe(0);
        final AtomicBoolean measuring = new AtomicBoolean();
        final StreamTraffic traffic = new StreamTraffic(templates, metering.inputTopic(),
                profile.throughput().concurrentStreams(), clock, env::nextStreamNumber,
                (reservationId, nanos) -> {
                    if (measuring.get()) {
                        probe.arm(reservationId, nanos);
                    }
                });
        final PacedSender sender = new PacedSender(env.loadProducer());
        watcher.listen(probe);
        try {
            progress.update(SCOPE, Formats.whole(fraction * 100) + "% load: warming up");
            sender.send(traffic::next, rate, profile.latency().warmup());
            measuring.set(true);
            progress.update(SCOPE, Formats.whole(fraction * 100) + "% load: measuring for "
                    + profile.latency().duration().toMillis() + " ms");
            final long start = System.nanoTime();
            final long sent = sender.send(traffic::next, rate, profile.latency().duration());
            final double producedRate = sent / ((System.nanoTime() - start) / 1e9);
            measuring.set(false);
            Poll.until(() -> {
                progress.update(SCOPE, Formats.whole(fraction * 100) + "% load: waiting for " + probe.pending()
                        + " settlements");
                return probe.pending() == 0;
            }, SETTLE_TIMEOUT, POLL);
            final long missing = probe.pending();
            return new LatencyResult.AtLoad(fraction, rate, producedRate, probe.measured() + missing, missing,
                    probe.millis());
        } finally {
            watcher.listen(CommandWatcher.SettlementListener.NONE);
        }
    }

    private void awaitDrained(final InputProgress input) {
        if (!Poll.until(() -> input.snapshot().lag() == 0, profile.throughput().drainTimeout(), POLL)) {
            throw new IllegalStateException("the metering application did not catch up within "
                    + profile.throughput().drainTimeout());
        }
    }
}
