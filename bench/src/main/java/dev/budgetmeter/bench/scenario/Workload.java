package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.AppUnderTest;
import dev.budgetmeter.bench.env.ProgressSource;
import dev.budgetmeter.bench.load.StreamTraffic;
import dev.budgetmeter.topics.CommandWatcher;

/**
 * What a {@link SaturationSearch} offers an application and what it counts as done, in one unit: input events for
 * the throughput search, decisions for the budget ledger's. Rates of the search are in that unit; the sender sends
 * {@code recordsPerUnit} input records per unit. Immutable.
 *
 * @param name           for progress lines, e.g. the application's label and the load's
 * @param app            the application
 * @param traffic        the records offered, owned by the search's sender thread
 * @param recordsPerUnit input records per unit, e.g. 1 per event, 2 per decision (a Reserve and its End)
 * @param progress       units offered and done
 * @param watcher        the application's commands, for streams settled per second, or null
 */
public record Workload(String name, AppUnderTest app, StreamTraffic traffic, int recordsPerUnit,
                       ProgressSource progress, CommandWatcher watcher) {

    public Workload {
        if (recordsPerUnit < 1) {
            throw new IllegalArgumentException("recordsPerUnit " + recordsPerUnit + " < 1");
        }
    }
}
