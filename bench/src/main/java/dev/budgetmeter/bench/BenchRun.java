package dev.budgetmeter.bench;

import dev.budgetmeter.bench.chart.ChartReport;
import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.report.BenchResults;
import dev.budgetmeter.bench.report.FailedScenario;
import dev.budgetmeter.bench.report.JsonReport;
import dev.budgetmeter.bench.report.MachineFacts;
import dev.budgetmeter.bench.report.MarkdownReport;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.scenario.LatencyScenario;
import dev.budgetmeter.bench.scenario.LedgerScenario;
import dev.budgetmeter.bench.scenario.ProducerOverheadScenario;
import dev.budgetmeter.bench.scenario.Profile;
import dev.budgetmeter.bench.scenario.SaturationSearch;
import dev.budgetmeter.bench.scenario.ScaleScenario;
import dev.budgetmeter.bench.scenario.ThroughputResult;
import dev.budgetmeter.bench.scenario.ThroughputScenario;
import dev.budgetmeter.bench.scenario.TimeoutPrecisionScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run: the selected scenarios in order, sharing one local stack and one metering application, then
 * the three reports. A scenario that throws is recorded as failed and the others still run.
 */
public final class BenchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BenchRun.class);

    private final Profile profile;
    private final Set<Scenario> scenarios;
    private final Path out;
    private final String command;
    private final Progress progress;
    private final Clock clock;

    /**
     * @param profile   sizes and durations
     * @param scenarios which scenarios to run
     * @param out       the results directory, created if needed
     * @param command   the command line, for the report
     * @param progress  where live progress goes
     * @param clock     the clock of timestamps (durations use {@link System#nanoTime()})
     */
    public BenchRun(final Profile profile, final Set<Scenario> scenarios, final Path out, final String command,
                    final Progress progress, final Clock clock) {
        this.profile = profile;
        this.scenarios = scenarios.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(scenarios);
        this.out = out;
        this.command = command;
        this.progress = progress;
        this.clock = clock;
    }

    /** Runs the scenarios and writes {@code results.json}, {@code results.md} and {@code chart.png}. */
    public BenchResults run() {
        final long start = System.nanoTime();
        final MachineFacts machine = MachineFacts.collect(clock);
        progress.done("bench", profile.name() + " run of " + scenarios.stream().map(Scenario::id)
                .collect(Collectors.joining(", ")) + " on " + machine.cores() + " cores, " + machine.jvm());
        final Map<String, ScenarioResult> results = new LinkedHashMap<>();
        try (LiveEnvironment env = new LiveEnvironment(profile.timeout().idleTimeout(), progress)) {
            for (final Scenario scenario : scenarios) {
                if (!scenario.usesMetering()) {
                    env.stopMetering();
                }
                results.put(scenario.id(), runGuarded(scenario, () -> run(scenario, env, results)));
            }
        }
        final BenchResults bench = BenchResults.of(profile.name(), command, machine,
                (System.nanoTime() - start) / 1e9, results);
        write(bench);
        return bench;
    }

    private ScenarioResult run(final Scenario scenario, final LiveEnvironment env,
                               final Map<String, ScenarioResult> done) {
        return switch (scenario) {
            case THROUGHPUT -> new ThroughputScenario(env, profile.throughput(), progress, clock).run();
            case LATENCY -> latency(env, done.get(Scenario.THROUGHPUT.id()));
            case TIMEOUT -> new TimeoutPrecisionScenario(env, profile.timeout(), progress, clock).run();
            case LEDGER -> new LedgerScenario(env, profile, progress, clock)
                    .run(done.get(Scenario.THROUGHPUT.id()));
            case SCALE -> new ScaleScenario(profile, progress).run();
            case PRODUCER -> new ProducerOverheadScenario(env, profile.jmh(), progress).run();
        };
    }

    /** Latency at fractions of the saturation the throughput scenario found, or of a fresh search without it. */
    private ScenarioResult latency(final LiveEnvironment env, final ScenarioResult throughput) {
        final LatencyScenario latency = new LatencyScenario(env, profile, progress, clock);
        if (throughput instanceof ThroughputResult measured) {
            return latency.run(measured.metering().saturationRate(), "throughput scenario of this run");
        }
        final SaturationSearch.Outcome search = new SaturationSearch(env, profile.throughput(), progress, clock)
                .run(env.metering(), env.templates(StreamShape.completed(profile.throughput().chunksPerStream())),
                        env.meteringCommands());
        return latency.run(search.saturationRate(), "a saturation search of the metering topology in this run");
    }

    private ScenarioResult runGuarded(final Scenario scenario, final Supplier<ScenarioResult> body) {
        final long start = System.nanoTime();
        try {
            final ScenarioResult result = body.get();
            progress.done(scenario.id(), "done in " + Math.round((System.nanoTime() - start) / 1e9) + " s");
            return result;
        } catch (final RuntimeException e) {
            LOG.error("Scenario {} failed", scenario.id(), e);
            progress.done(scenario.id(), "FAILED: " + e);
            return FailedScenario.of(e);
        }
    }

    private void write(final BenchResults bench) {
        try {
            Files.createDirectories(out);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        new JsonReport().write(bench, out);
        final Path chart = new ChartReport().write(bench, out);
        new MarkdownReport(Arrays.stream(Scenario.values())
                .collect(Collectors.toMap(Scenario::id, Scenario::title))).write(bench, out,
                chart.getFileName().toString());
        progress.done("bench", "results in " + out.toAbsolutePath() + " (" + JsonReport.FILE + ", "
                + MarkdownReport.FILE + ", " + ChartReport.FILE + ")");
    }
}
