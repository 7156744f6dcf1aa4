package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.PassThroughUnderTest;
import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.report.Progress;
import java.time.Clock;
import java.util.Map;

/**
 * Scenario 1: the saturation throughput of the metering topology as a ratio to a pass-through topology with the
 * same exactly-once configuration, partitions and records, both measured in this run on this broker.
 */
public final class ThroughputScenario {

    private final LiveEnvironment env;
    private final Profile.Throughput settings;
    private final SaturationSearch search;

    public ThroughputScenario(final LiveEnvironment env, final Profile.Throughput settings, final Progress progress,
                              final Clock clock) {
        this.env = env;
        this.settings = settings;
        this.search = new SaturationSearch(env, settings, progress, clock);
    }

    public ThroughputResult run() {
        final EventTemplates templates = env.templates(StreamShape.completed(settings.chunksPerStream()));
        final SaturationSearch.Outcome baseline;
        final Map<String, Double> baselineWrites;
        try (PassThroughUnderTest passThrough = env.startBaseline()) {
            baseline = search.run(passThrough, templates, null);
            baselineWrites = env.writesPerInput(LiveEnvironment.BASELINE, passThrough);
        }
        final SaturationSearch.Outcome metering = search.run(env.metering(), templates, env.meteringCommands());
        return new ThroughputResult(LiveEnvironment.PARTITIONS, templates.eventsPerStream(), templates.averageValueBytes(),
                settings.concurrentStreams(), baseline, metering,
                metering.saturationRate() / baseline.saturationRate(), baselineWrites,
                env.writesPerInput(LiveEnvironment.METERING, env.metering()));
    }
}
