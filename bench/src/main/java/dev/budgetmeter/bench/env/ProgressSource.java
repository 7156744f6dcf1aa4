package dev.budgetmeter.bench.env;

/**
 * How far an application has got through the work offered to it, in one unit (input records, or decisions): what a
 * saturation search compares and what it waits on between steps.
 */
public interface ProgressSource {

    /** Offered, done and outstanding work now. */
    Snapshot snapshot();

    /**
     * @param nanos     when it was taken ({@link System#nanoTime()})
     * @param produced  units offered so far
     * @param processed units done so far
     * @param lag       input records not yet fully processed: 0 once the application caught up
     */
    record Snapshot(long nanos, long produced, long processed, long lag) {
    }
}
