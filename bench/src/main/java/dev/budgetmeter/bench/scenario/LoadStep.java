package dev.budgetmeter.bench.scenario;

/**
 * One step of the rising load: what was offered and what the application kept up with, measured after the step's
 * warm-up, in the unit of the search's {@link Workload} (input events, or the budget ledger's decisions). Immutable.
 *
 * @param offeredRate   units/s the generator was asked for
 * @param producedRate  units/s that reached the input topic (events), or were sent (the ledger's Reserves)
 * @param processedRate units/s done: events the application committed (input offsets of its consumer group), or
 *                      decisions read by a read_committed consumer
 * @param settledRate   streams/s settled on the commands topic (read_committed), or null for the baseline
 * @param lagAtEnd      work not yet done when the step ended ({@link dev.budgetmeter.bench.env.ProgressSource})
 * @param saturated     processed fell below 90% of produced: the application did not keep up
 * @param cpuMicrosPerEvent CPU time of the application's threads per unit processed, in microseconds, or
 *                      null when the JVM does not measure thread CPU time or nothing was processed
 */
public record LoadStep(double offeredRate, double producedRate, double processedRate, Double settledRate,
                       long lagAtEnd, boolean saturated, Double cpuMicrosPerEvent) {

    /** Below this share of the produced rate, the application counts as not keeping up. */
    public static final double KEEP_UP_SHARE = 0.9;

    /**
     * What the application sustained: all it processed when saturated (it ran flat out), otherwise no more than was
     * produced (processing above it is a backlog being caught up, not a rate it could keep).
     */
    public double sustainedRate() {
        return saturated ? processedRate : Math.min(processedRate, producedRate);
    }
}
