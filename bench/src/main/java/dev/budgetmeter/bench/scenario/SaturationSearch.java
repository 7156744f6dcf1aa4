package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.AppUnderTest;
import dev.budgetmeter.bench.env.ApplicationCpu;
import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.ProgressSource;
import dev.budgetmeter.bench.load.PacedSender;
import dev.budgetmeter.bench.load.StreamTemplates;
import dev.budgetmeter.bench.load.StreamTraffic;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.CommandWatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Offers an application a rising load until it stops keeping up: steps of the profile's rates, each held for the
 * step time and measured after its warm-up, with the backlog drained between steps. The saturation throughput is the
 * highest sustained rate of any step (in the step that saturates, the application runs flat out). Rates are in the
 * {@link Workload}'s unit: input events unless it says otherwise.
 */
public final class SaturationSearch {

    private static final String DEFAULT_SCOPE = "throughput";
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);
    private static final Duration PRIMING = Duration.ofSeconds(1);

    private final String scope;
    private final LiveEnvironment env;
    private final Profile.Throughput settings;
    private final Progress progress;
    private final Clock clock;

    /** A search whose progress lines are the throughput scenario's. */
    public SaturationSearch(final LiveEnvironment env, final Profile.Throughput settings, final Progress progress,
                            final Clock clock) {
        this(DEFAULT_SCOPE, env, settings, progress, clock);
    }

    /** @param scope the scenario its progress lines are shown under */
    public SaturationSearch(final String scope, final LiveEnvironment env, final Profile.Throughput settings,
                            final Progress progress, final Clock clock) {
        this.scope = scope;
        this.env = env;
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * The outcome of a search. Immutable.
     *
     * @param steps          every step, in order
     * @param saturationRate the highest sustained units/s ({@link LoadStep#sustainedRate()})
     * @param saturated      whether a step saturated; if not, the rate is a lower bound
     * @param settledRate    streams/s settled in the step of the highest sustained rate, or null without a watcher
     * @param cpuMicrosPerEvent the application's CPU per unit in that step ({@link LoadStep}), or null
     */
    public record Outcome(List<LoadStep> steps, double saturationRate, boolean saturated, Double settledRate,
                          Double cpuMicrosPerEvent) {
    }

    /**
     * Runs the search in input events: each step offers events of {@code templates}' streams.
     *
     * @param app       the application
     * @param templates the streams offered
     * @param watcher   the application's commands, or null when it writes none (the baseline)
     */
    public Outcome run(final AppUnderTest app, final StreamTemplates templates, final CommandWatcher watcher) {
        return run(new Workload(app.label(), app, traffic(templates, app.inputTopic()), 1, env.progressOf(app),
                watcher));
    }

    /** Interleaved streams of {@code templates} to {@code topic}, as many at once as the profile says. */
    public StreamTraffic traffic(final StreamTemplates templates, final String topic) {
        return new StreamTraffic(templates, topic, settings.concurrentStreams(), clock, env::nextStreamNumber,
                StreamTraffic.LastEventListener.NONE);
    }

    /** Runs the search over {@code workload}, in its unit. */
    public Outcome run(final Workload workload) {
        final AppUnderTest app = workload.app();
        final ExecutorService senderThread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "bench-load-" + workload.name());
            thread.setDaemon(true);
            return thread;
        });
        try {
            final Load load = new Load(workload, new ApplicationCpu(app.applicationId()),
                    new PacedSender(env.loadProducer()), senderThread);
            prime(load);
            final List<LoadStep> steps = rise(load);
            refine(load, steps);
            if (load.sender().failed() > 0) {
                throw new IllegalStateException(load.sender().failed() + " load records were not written");
            }
            final LoadStep best = steps.stream()
                    .max((a, b) -> Double.compare(a.sustainedRate(), b.sustainedRate())).orElseThrow();
            return new Outcome(List.copyOf(steps), best.sustainedRate(),
                    steps.stream().anyMatch(LoadStep::saturated), best.settledRate(), best.cpuMicrosPerEvent());
        } finally {
            senderThread.shutdownNow();
        }
    }

    /**
     * One step at a given rate, after the application has drained what an earlier search left: the comparison of
     * applications at one rate they all sustain, where fixed costs per commit and poll weigh alike.
     *
     * @param app       the application, already warmed up by a search
     * @param templates the streams offered
     * @param watcher   the application's commands, or null when it writes none
     * @param rate      events/s offered
     */
    public LoadStep fixedStep(final AppUnderTest app, final StreamTemplates templates, final CommandWatcher watcher,
                              final double rate) {
        final Workload workload = new Workload(app.label(), app, traffic(templates, app.inputTopic()), 1,
                env.progressOf(app), watcher);
        final ExecutorService senderThread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "bench-load-" + workload.name());
            thread.setDaemon(true);
            return thread;
        });
        try {
            final Load load = new Load(workload, new ApplicationCpu(app.applicationId()),
                    new PacedSender(env.loadProducer()), senderThread);
            awaitDrained(workload);
            return step(load, "at " + Formats.whole(rate) + "/s, the rate all sustain", rate);
        } finally {
            senderThread.shutdownNow();
        }
    }

    /** What one search drives and watches. */
    private record Load(Workload workload, ApplicationCpu cpu, PacedSender sender, ExecutorService senderThread) {

        String name() {
            return workload.name();
        }

        ProgressSource input() {
            return workload.progress();
        }

        /** Offers {@code unitsPerSecond} for {@code duration}, in records of the workload's traffic. */
        long offer(final double unitsPerSecond, final Duration duration) {
            return sender.send(workload.traffic()::next, unitsPerSecond * workload.recordsPerUnit(), duration);
        }
    }

    /**
     * The doubling steps, up to the first that saturates twice in a row (or whose backlog does not drain). A step
     * that saturates is run once more at the same rate before the rise stops: on a loaded machine one slow commit or
     * a neighbour's burst can make a step fall behind at a rate the application sustains, and the search would end
     * far below its saturation. Both steps are kept.
     */
    private List<LoadStep> rise(final Load load) {
        final List<LoadStep> steps = new ArrayList<>();
        final List<Double> rates = settings.rates();
        for (int i = 0; i < rates.size(); i++) {
            LoadStep step = step(load, "step " + (i + 1) + "/" + rates.size(), rates.get(i));
            steps.add(step);
            if (step.saturated() && drain(load)) {
                step = step(load, "step " + (i + 1) + "/" + rates.size() + " again", rates.get(i));
                steps.add(step);
            }
            if (step.saturated() || !drain(load)) {
                break;
            }
        }
        return steps;
    }

    /**
     * Halves the gap between the last rate kept up with and the first that saturated, the profile's number of
     * times, so the saturation throughput is known closer than a factor of two.
     */
    private void refine(final Load load, final List<LoadStep> steps) {
        final LoadStep last = steps.get(steps.size() - 1);
        final double kept = steps.stream().filter(step -> !step.saturated())
                .mapToDouble(LoadStep::offeredRate).filter(rate -> rate < last.offeredRate()).max().orElse(-1);
        if (!last.saturated() || kept < 0) {
            return;
        }
        double low = kept;
        double high = last.offeredRate();
        for (int i = 1; i <= settings.refinements(); i++) {
            if (!drain(load)) {
                return;
            }
            final double rate = (low + high) / 2;
            final LoadStep step = step(load, "refinement " + i + "/" + settings.refinements(), rate);
            steps.add(step);
            if (step.saturated()) {
                high = rate;
            } else {
                low = rate;
            }
        }
    }

    private LoadStep step(final Load load, final String stepName, final double rate) {
        final String name = load.name() + " " + stepName;
        final LoadStep step = measure(name, load, CompletableFuture.supplyAsync(
                () -> load.offer(rate, settings.step()), load.senderThread()), rate);
        progress.done(scope, name + ": offered " + Formats.whole(step.offeredRate()) + "/s, produced "
                + Formats.whole(step.producedRate()) + "/s, processed " + Formats.whole(step.processedRate()) + "/s"
                + (step.saturated() ? " -> saturated" : ""));
        return step;
    }

    /** A second of light load: starts transactions, registers schemas, warms the JIT, then waits for it to drain. */
    private void prime(final Load load) {
        progress.update(scope, load.name() + ": priming");
        load.offer(settings.firstRate(), PRIMING);
        if (!drain(load)) {
            throw new IllegalStateException(load.name() + " did not process the priming load within "
                    + settings.drainTimeout());
        }
    }

    private LoadStep measure(final String name, final Load load, final CompletableFuture<Long> sending,
                             final double rate) {
        final ProgressSource input = load.input();
        final CommandWatcher watcher = load.workload().watcher();
        final long start = System.nanoTime();
        ProgressSource.Snapshot measuredFrom = null;
        long cpuFrom = 0;
        final RateEstimator produced = new RateEstimator();
        final RateEstimator processed = new RateEstimator();
        final RateEstimator settled = new RateEstimator();
        ProgressSource.Snapshot last = input.snapshot();
        while (!sending.isDone()) {
            Poll.pause(SAMPLE_INTERVAL);
            last = input.snapshot();
            if (last.nanos() - start >= settings.warmup().toNanos()) {
                if (measuredFrom == null) {
                    measuredFrom = last;
                    cpuFrom = load.cpu().nanos();
                }
                produced.add(last.nanos(), last.produced());
                processed.add(last.nanos(), last.processed());
                if (watcher != null) {
                    settled.add(last.nanos(), watcher.settled());
                }
            }
            progress.update(scope, name + ": offered " + Formats.whole(rate) + "/s, produced "
                    + Formats.whole(produced.perSecond()) + "/s, processed " + Formats.whole(processed.perSecond())
                    + "/s, lag " + last.lag());
        }
        sending.join();
        last = input.snapshot();
        final Double cpuMicrosPerEvent = cpuMicrosPerEvent(measuredFrom, cpuFrom, last, load.cpu().nanos());
        final double processedRate = processed.perSecond();
        final double producedRate = produced.perSecond();
        return new LoadStep(rate, producedRate, processedRate, watcher == null ? null : settled.perSecond(),
                last.lag(), processedRate < LoadStep.KEEP_UP_SHARE * producedRate, cpuMicrosPerEvent);
    }

    /** The application's CPU per unit processed between two points, or null when not measurable. */
    private static Double cpuMicrosPerEvent(final ProgressSource.Snapshot from, final long cpuFrom,
                                           final ProgressSource.Snapshot to, final long cpuTo) {
        if (from == null || !ApplicationCpu.supported() || to.processed() <= from.processed()) {
            return null;
        }
        return (cpuTo - cpuFrom) / 1_000.0 / (to.processed() - from.processed());
    }

    /**
     * Waits until the workload's application has done everything offered (a search ends with the backlog of its last
     * step), so that what is measured next starts from an idle application.
     *
     * @throws IllegalStateException when it has not within the profile's drain timeout
     */
    public void awaitDrained(final Workload workload) {
        if (!drain(workload.name(), workload.progress())) {
            throw new IllegalStateException(workload.name() + " did not catch up within " + settings.drainTimeout());
        }
    }

    private boolean drain(final Load load) {
        return drain(load.name(), load.input());
    }

    /** Waits until the application has processed everything produced; false when it did not in time. */
    private boolean drain(final String name, final ProgressSource input) {
        return Poll.until(() -> {
            final long behind = input.snapshot().lag();
            progress.update(scope, name + ": draining, lag " + behind);
            return behind == 0;
        }, settings.drainTimeout(), SAMPLE_INTERVAL);
    }
}
