package dev.budgetmeter.cli.fleet;

/** How a simulated stream ends, as its worker sees it. */
public enum Ending {
    /** The answer streams in full; the worker reports the provider's totals and completes. */
    COMPLETED,
    /** The provider breaks off mid-answer; the worker fails the stream. */
    FAILED,
    /** The user stops the answer; the worker cancels the stream. */
    CANCELLED,
    /** The worker dies mid-answer and sends nothing more: the topology's idle timeout settles it. */
    ABANDONED
}
