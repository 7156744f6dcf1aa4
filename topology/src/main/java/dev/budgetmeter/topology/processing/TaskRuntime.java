package dev.budgetmeter.topology.processing;

import java.util.Objects;

/**
 * What the tasks of one application instance share with the instance that runs them: the clock of how far they have
 * read their input, and the record of which of them are running. Building the topology stays a pure function: it
 * only hands these to the processors it creates.
 *
 * @param inputClock   how far each input partition has been processed
 * @param runningTasks the tasks whose stateful processor (lifecycle or ledger) is initialised
 */
public record TaskRuntime(InputClock inputClock, RunningTasks runningTasks) {

    public TaskRuntime {
        Objects.requireNonNull(inputClock, "inputClock");
        Objects.requireNonNull(runningTasks, "runningTasks");
    }

    /** For a topology whose processing is synchronous (a test driver): the input is always read up to now. */
    public static TaskRuntime caughtUp() {
        return new TaskRuntime(InputClock.CAUGHT_UP, new RunningTasks());
    }
}
