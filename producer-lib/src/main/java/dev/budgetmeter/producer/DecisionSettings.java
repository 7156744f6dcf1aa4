package dev.budgetmeter.producer;

import java.time.Duration;

/**
 * How a meter's streams get their decisions, as the builder collected it.
 *
 * @param mode           who decides, and whether open waits
 * @param timeout        how long a decision may take before it fails with {@link DecisionTimeoutException}
 * @param replyPartition the decisions partition to read, or null for the one the worker id hashes to
 * @param cycles         the Cycles server that decides during open, or null
 */
record DecisionSettings(DecisionMode mode, Duration timeout, Integer replyPartition, CyclesAuthority cycles) {
}
