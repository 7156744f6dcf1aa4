package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.MeteringUnderTest;
import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.PacedSender;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.load.StreamTraffic;
import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.CommandWatcher;
import java.time.Clock;
import java.time.Duration;

/**
 * Scenario 3: streams that stop without an End, spread over a few seconds so they meet every phase of the
 * punctuation; each is timed from its last event to its settlement, minus the idle timeout.
 */
public final class TimeoutPrecisionScenario {

    private static final String SCOPE = "timeout";
    private static final int CHUNKS = 2;
    private static final int CONCURRENT_STREAMS = 4;
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration EXTRA_WAIT = Duration.ofSeconds(20);

    private final LiveEnvironment env;
    private final Profile.Timeout settings;
    private final Progress progress;
    private final Clock clock;

    public TimeoutPrecisionScenario(final LiveEnvironment env, final Profile.Timeout settings,
                                    final Progress progress, final Clock clock) {
        this.env = env;
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    public TimeoutResult run() {
        final MeteringUnderTest metering = env.metering();
        final CommandWatcher watcher = env.meteringCommands();
        final EventTemplates templates = env.templates(StreamShape.abandonedAfter(CHUNKS));
        final Duration idle = metering.idleTimeout();
        final Duration allowedExcess = metering.punctuationInterval().plus(GRACE);
        final SettlementProbe probe = new SettlementProbe(idle.toNanos());
        final StreamTraffic traffic = new StreamTraffic(templates, metering.inputTopic(), CONCURRENT_STREAMS, clock,
                env::nextStreamNumber, probe::arm);
        watcher.listen(probe);
        try {
            progress.update(SCOPE, "starting " + settings.streams() + " abandoned streams over "
                    + settings.spread().toMillis() + " ms");
            final double rate = (double) settings.streams() * templates.eventsPerStream()
                    / (settings.spread().toMillis() / 1000.0);
            new PacedSender(env.loadProducer()).send(traffic::next, rate, settings.spread());
            Poll.until(() -> {
                progress.update(SCOPE, probe.measured() + " settled, waiting for " + probe.pending());
                return probe.pending() == 0;
            }, idle.plus(allowedExcess).plus(EXTRA_WAIT), Duration.ofMillis(100));
        } finally {
            watcher.listen(CommandWatcher.SettlementListener.NONE);
        }
        final Distribution excess = probe.millis();
        final long within = probe.countAtMost(allowedExcess.toMillis() * 1_000);
        final int streams = (int) (probe.measured() + probe.pending());
        progress.done(SCOPE, streams + " abandoned streams: excess p50 " + Formats.fixed(excess.p50(), 0)
                + " ms, max " + Formats.fixed(excess.max(), 0) + " ms, " + within + " within "
                + allowedExcess.toMillis() + " ms");
        return new TimeoutResult(streams, idle.toMillis(), metering.punctuationInterval().toMillis(),
                allowedExcess.toMillis(), probe.pending(), within, excess);
    }
}
