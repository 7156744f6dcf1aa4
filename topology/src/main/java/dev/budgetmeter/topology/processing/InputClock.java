package dev.budgetmeter.topology.processing;

/**
 * How far a task has read its input, as a time: every input record of a partition appended before
 * {@link #processedBefore} has been processed and committed. Silence is judged on this clock, not on the wall clock,
 * so a stream whose events wait unread in a backlog (an application restarted, or behind) never looks idle: the
 * idle timeout and the ends of retention and of the orphan wait fall due only once the task has read that far.
 *
 * <p>Called on the stream thread at every punctuation; implementations must answer from memory, without I/O.
 */
@FunctionalInterface
public interface InputClock {

    /** A task that has read everything, always: the wall clock. Right where processing is synchronous (tests). */
    InputClock CAUGHT_UP = (partition, now) -> now;

    /**
     * The time before which every record of input {@code partition} has been processed and committed, at most
     * {@code now}; {@link Long#MIN_VALUE} while that is not known.
     */
    long processedBefore(int partition, long now);
}
