package dev.budgetmeter.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How big and how long each scenario runs: {@link #smoke()} (seconds, for the test that only checks the run
 * completes), {@link #quick()} (under two minutes) and {@link #full()}. Immutable.
 *
 * @param name       {@code smoke}, {@code quick} or {@code full}
 * @param throughput the rising-load search
 * @param latency    the latency runs at fractions of saturation
 * @param timeout    the abandoned streams
 * @param ledger     the budget ledger's decisions per second and decision latency
 * @param scale      the punctuation cost at growing store sizes
 * @param jmh        the producer-library microbenchmarks
 */
public record Profile(String name, Throughput throughput, Latency latency, Timeout timeout, Ledger ledger,
                      Scale scale, Jmh jmh) {

    /**
     * @param firstRate         offered events/s of the first step
     * @param maxRate           the search stops after the step at this rate even when nothing saturated
     * @param step              how long each step offers its load
     * @param warmup            the first part of each step, not measured
     * @param chunksPerStream   K: chunk events per simulated stream (plus reserve, usage and end)
     * @param concurrentStreams streams open at once, their events interleaved
     * @param drainTimeout      how long to wait for the backlog of a step to be processed before the next one
     * @param refinements       steps that halve the gap between the last rate kept up with and the first that was not
     */
    public record Throughput(double firstRate, double maxRate, Duration step, Duration warmup, int chunksPerStream,
                             int concurrentStreams, Duration drainTimeout, int refinements) {

        /** Offered rates: the first rate doubled until the maximum. */
        public List<Double> rates() {
            final List<Double> rates = new ArrayList<>();
            for (double rate = firstRate; rate <= maxRate; rate *= 2) {
                rates.add(rate);
            }
            return List.copyOf(rates);
        }
    }

    /**
     * @param fractions of the metering saturation load to measure at
     * @param duration  how long each load is offered
     * @param warmup    the first part, whose streams are not measured
     */
    public record Latency(List<Double> fractions, Duration duration, Duration warmup) {
    }

    /**
     * @param streams     abandoned streams (reserve and two chunks, then silence)
     * @param spread      over how long they are started
     * @param idleTimeout the metering application's {@code metering.idle.timeout.ms}
     */
    public record Timeout(int streams, Duration spread, Duration idleTimeout) {
    }

    /**
     * @param search              the rising-load search, in decisions/s (a Reserve and its End each); its chunks are
     *                            unused
     * @param tenants             tenants of the spread load, each with a budget (the other load has one hot tenant)
     * @param shortCommitInterval the commit interval measured after Kafka Streams' exactly-once default (100 ms), or
     *                            null to measure the default only
     * @param latency             the decision latency runs, at fractions of each load's saturation
     */
    public record Ledger(Throughput search, int tenants, Duration shortCommitInterval, Latency latency) {
    }

    /**
     * @param sizes               active reservations to measure at, ascending
     * @param duePerPunctuation   reservations that fall due (and are extended) in each punctuation
     * @param warmupPunctuations  punctuations run before the timed ones at each size
     * @param timedPunctuations   punctuations timed at each size
     */
    public record Scale(List<Integer> sizes, int duePerPunctuation, int warmupPunctuations, int timedPunctuations) {
    }

    /**
     * @param forks                 JVM forks per benchmark; 0 runs in this JVM (smoke only: no valid timing)
     * @param warmupIterations      warm-up iterations per fork
     * @param measurementIterations measured iterations per fork
     * @param iteration             length of each iteration
     */
    public record Jmh(int forks, int warmupIterations, int measurementIterations, Duration iteration) {
    }

    /** Seconds per scenario and tiny sizes: proves the run completes and writes its results; no valid figure. */
    public static Profile smoke() {
        return new Profile("smoke",
                new Throughput(500, 1_000, Duration.ofMillis(1_500), Duration.ofMillis(500), 4, 16,
                        Duration.ofSeconds(20), 0),
                new Latency(List.of(0.5, 0.8), Duration.ofMillis(1_500), Duration.ofMillis(300)),
                new Timeout(20, Duration.ofMillis(500), Duration.ofSeconds(1)),
                new Ledger(new Throughput(100, 100, Duration.ofMillis(1_000), Duration.ofMillis(300), 0, 16,
                        Duration.ofSeconds(20), 0), 10, null,
                        new Latency(List.of(0.5), Duration.ofMillis(500), Duration.ofMillis(200))),
                new Scale(List.of(1_000, 2_000), 5, 1, 5),
                new Jmh(0, 0, 1, Duration.ofMillis(300)));
    }

    /** Under two minutes on a 2-core machine: short steps, scale up to 100k. */
    public static Profile quick() {
        return new Profile("quick",
                new Throughput(4_000, 512_000, Duration.ofMillis(2_500), Duration.ofMillis(750), 8, 64,
                        Duration.ofSeconds(30), 1),
                new Latency(List.of(0.5, 0.8), Duration.ofSeconds(3), Duration.ofMillis(500)),
                new Timeout(200, Duration.ofSeconds(2), Duration.ofSeconds(2)),
                new Ledger(new Throughput(250, 64_000, Duration.ofMillis(2_500), Duration.ofMillis(750), 0, 64,
                        Duration.ofSeconds(30), 1), 1_000, Duration.ofMillis(20),
                        new Latency(List.of(0.5), Duration.ofSeconds(3), Duration.ofMillis(500))),
                new Scale(List.of(10_000, 100_000), 20, 50, 50),
                new Jmh(1, 1, 2, Duration.ofSeconds(1)));
    }

    /** Longer steps and distributions, scale up to 1M. */
    public static Profile full() {
        return new Profile("full",
                new Throughput(2_000, 1_024_000, Duration.ofSeconds(10), Duration.ofSeconds(3), 8, 64,
                        Duration.ofSeconds(60), 2),
                new Latency(List.of(0.5, 0.8), Duration.ofSeconds(15), Duration.ofSeconds(2)),
                new Timeout(1_000, Duration.ofSeconds(10), Duration.ofSeconds(5)),
                new Ledger(new Throughput(250, 64_000, Duration.ofSeconds(10), Duration.ofSeconds(3), 0, 64,
                        Duration.ofSeconds(60), 2), 1_000, Duration.ofMillis(20),
                        new Latency(List.of(0.5), Duration.ofSeconds(15), Duration.ofSeconds(2))),
                new Scale(List.of(10_000, 100_000, 1_000_000), 20, 50, 200),
                new Jmh(2, 3, 5, Duration.ofSeconds(1)));
    }
}
