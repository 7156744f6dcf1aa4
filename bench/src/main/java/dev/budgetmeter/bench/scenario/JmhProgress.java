package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Progress;
import java.util.Collection;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/** JMH's output turned into the run's progress line: one update per iteration, the rest dropped. */
final class JmhProgress implements OutputFormat {

    private static final String SCOPE = "producer";

    private final Progress progress;

    JmhProgress(final Progress progress) {
        this.progress = progress;
    }

    @Override
    public void iteration(final BenchmarkParams benchmark, final IterationParams params, final int iteration) {
        progress.update(SCOPE, shortName(benchmark) + ": " + params.getType().toString().toLowerCase()
                + " iteration " + iteration + "/" + params.getCount());
    }

    @Override
    public void iterationResult(final BenchmarkParams benchmark, final IterationParams params, final int iteration,
                                final IterationResult result) {
        progress.update(SCOPE, shortName(benchmark) + ": " + params.getType().toString().toLowerCase()
                + " iteration " + iteration + "/" + params.getCount() + " = " + result.getPrimaryResult());
    }

    @Override
    public void startBenchmark(final BenchmarkParams benchmark) {
        progress.update(SCOPE, shortName(benchmark) + ": starting");
    }

    @Override
    public void endBenchmark(final BenchmarkResult result) {
        if (result != null) {
            progress.done(SCOPE, shortName(result.getParams()) + ": " + result.getPrimaryResult());
        }
    }

    @Override
    public void startRun() {
        progress.update(SCOPE, "starting JMH");
    }

    @Override
    public void endRun(final Collection<RunResult> results) {
        // The scenario reports the results.
    }

    @Override
    public void print(final String text) {
        // JMH's own console output is replaced by the progress line.
    }

    @Override
    public void println(final String text) {
        // As print.
    }

    @Override
    public void flush() {
        // Nothing is buffered.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public void verbosePrintln(final String text) {
        // As print.
    }

    @Override
    public void write(final int b) {
        // As print.
    }

    @Override
    public void write(final byte[] bytes) {
        // As print.
    }

    private static String shortName(final BenchmarkParams benchmark) {
        final String name = benchmark.getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
