package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.jmh.ProducerOverheadBenchmark;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario 5: runs {@link ProducerOverheadBenchmark} with JMH in forked JVMs (same class path) against this run's
 * local broker, with the GC profiler for the allocation per call.
 */
public final class ProducerOverheadScenario {

    private static final String ALLOCATION = "gc.alloc.rate.norm";
    private static final Map<String, String> LABELS = labels();

    private final LiveEnvironment env;
    private final Profile.Jmh settings;
    private final Progress progress;

    public ProducerOverheadScenario(final LiveEnvironment env, final Profile.Jmh settings, final Progress progress) {
        this.env = env;
        this.settings = settings;
        this.progress = progress;
    }

    public ProducerOverheadResult run() {
        final Map<String, String> properties = Map.of(
                ProducerOverheadBenchmark.BOOTSTRAP_PROPERTY, env.stack().bootstrapServers(),
                ProducerOverheadBenchmark.REGISTRY_PROPERTY, env.stack().schemaRegistryUrl(),
                ProducerOverheadBenchmark.PREFIX_PROPERTY, env.prefix(LiveEnvironment.JMH));
        env.createTopics(LiveEnvironment.JMH, List.of(Topics.STREAM_EVENTS));
        final Collection<RunResult> results;
        try {
            results = new Runner(options(properties).build(), new JmhProgress(progress)).run();
        } catch (final RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
        final Map<String, ProducerOverheadResult.Row> rows = new LinkedHashMap<>();
        for (final RunResult result : results) {
            final String method = result.getParams().getBenchmark();
            final String name = method.substring(method.lastIndexOf('.') + 1);
            final Result<?> allocation = result.getSecondaryResults().get(ALLOCATION);
            rows.put(name, new ProducerOverheadResult.Row(name, LABELS.getOrDefault(name, name),
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(),
                    allocation == null ? null : allocation.getScore()));
        }
        final double raw = rows.get("rawSend").nsPerOp();
        return new ProducerOverheadResult(new ArrayList<>(rows.values()), rows.get("chunkPerEvent").nsPerOp() / raw,
                rows.get("chunkCoalesced").nsPerOp() / raw, describe());
    }

    private ChainedOptionsBuilder options(final Map<String, String> properties) {
        final List<String> jvmArgs = new ArrayList<>();
        jvmArgs.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.budgetmeter"));
        final String logging = System.getProperty("log4j2.configurationFile");
        if (logging != null) {
            jvmArgs.add("-Dlog4j2.configurationFile=" + logging);
        }
        properties.forEach((name, value) -> jvmArgs.add("-D" + name + "=" + value));
        if (settings.forks() == 0) {
            // In this JVM: the benchmark reads the same properties.
            properties.forEach(System::setProperty);
        }
        return new OptionsBuilder()
                .include(ProducerOverheadBenchmark.class.getName() + "\\.")
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.iteration().toMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.iteration().toMillis()))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
    }

    private String describe() {
        return settings.forks() + " fork(s) x (" + settings.warmupIterations() + " warm-up + "
                + settings.measurementIterations() + " measured iterations of " + settings.iteration().toMillis()
                + " ms)";
    }

    private static Map<String, String> labels() {
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put("rawSend", "raw KafkaProducer.send(byte[]) of a pre-serialized chunk event");
        labels.put("chunkPerEvent", "MeteredStream.chunk(), coalescing off (one event per call)");
        labels.put("chunkCoalesced", "MeteredStream.chunk(), coalescing on (default)");
        return Map.copyOf(labels);
    }
}
