package dev.budgetmeter.topology.rules;

import dev.budgetmeter.schemas.DeadLetterReason;

/**
 * An event the topology refuses to apply, by the decoder or the lifecycle; the caller dead-letters it with the
 * original bytes.
 *
 * @param reason  machine-readable reason
 * @param message what was wrong, for a human
 */
public record Rejection(DeadLetterReason reason, String message) {
}
