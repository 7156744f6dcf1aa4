package dev.budgetmeter.topology.processing;

import java.util.Objects;

/**
 * The names of the nodes the lifecycle forwards its outputs to, one per output topic: each output is handed to its
 * sink by name, so nothing downstream has to find out again what kind of record it is.
 *
 * @param commands     the sink of the commands topic
 * @param audit        the sink of the audit topic
 * @param deadLetters  the sink of the dead-letter topic
 * @param ledgerRequests the sink of the ledger-requests topic, or null with an external authority
 */
public record Sinks(String commands, String audit, String deadLetters, String ledgerRequests) {

    public Sinks {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
