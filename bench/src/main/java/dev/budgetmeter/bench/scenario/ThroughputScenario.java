package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.BaselineUnderTest;
import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.report.Progress;
import java.time.Clock;
import java.util.Map;

/**
 * Scenario 1: the saturation throughput and CPU per event of the metering topology as ratios to two baselines with
 * the same exactly-once configuration, partitions and records, all measured in this run on this broker: a
 * pass-through topology, and the stateful floor (one store get and put per event). Then all three at one rate they
 * all sustain, since fixed costs per commit and poll weigh more per event at lower rates. The baselines stay running
 * (idle) while the others are measured.
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
        try (BaselineUnderTest passThrough = env.startBaseline();
             BaselineUnderTest floor = env.startStatefulFloor()) {
            final SaturationSearch.Outcome baseline = search.run(passThrough, templates, null);
            final SaturationSearch.Outcome floorOutcome = search.run(floor, templates, null);
            final SaturationSearch.Outcome metering = search.run(env.metering(), templates, env.meteringCommands());
            final double common = ThroughputResult.COMMON_SHARE * Math.min(metering.saturationRate(),
                    Math.min(baseline.saturationRate(), floorOutcome.saturationRate()));
            final ThroughputResult.CommonRate atCommon = new ThroughputResult.CommonRate(common,
                    search.fixedStep(passThrough, templates, null, common),
                    search.fixedStep(floor, templates, null, common),
                    search.fixedStep(env.metering(), templates, env.meteringCommands(), common));
            return new ThroughputResult(LiveEnvironment.PARTITIONS, templates.eventsPerStream(),
                    templates.averageValueBytes(), settings.concurrentStreams(), baseline, floorOutcome, metering,
                    metering.saturationRate() / baseline.saturationRate(), atCommon,
                    Map.of(LiveEnvironment.BASELINE, env.writesPerInput(LiveEnvironment.BASELINE, passThrough),
                            LiveEnvironment.FLOOR, env.writesPerInput(LiveEnvironment.FLOOR, floor),
                            LiveEnvironment.METERING, env.writesPerInput(LiveEnvironment.METERING, env.metering())));
        }
    }
}
