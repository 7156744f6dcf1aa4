package dev.budgetmeter.reliability.workload;

/** How a planned stream ends, as its worker saw it. */
public enum Ending {
    /** End(COMPLETED): the topology commits the usage. */
    COMPLETED,
    /** End(FAILED): commits the usage seen, or releases when nothing billable was seen. */
    FAILED,
    /** End(CANCELLED): like FAILED. */
    CANCELLED,
    /** No End: the worker vanished; the idle timeout commits the usage seen, or releases. */
    ABANDONED
}
