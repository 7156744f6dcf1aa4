package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.DeadLetterReason;

/**
 * An event the lifecycle refuses to apply; the caller dead-letters it with the original bytes.
 *
 * @param reason  machine-readable reason
 * @param message what was wrong, for a human
 */
public record Rejection(DeadLetterReason reason, String message) {
}
