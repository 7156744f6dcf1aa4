package dev.budgetmeter.cli.topics;

import java.util.List;
import java.util.Objects;

/**
 * What {@link TopicProvisioner} did with one topic. Immutable.
 *
 * @param spec        the topic as planned
 * @param outcome     created, or found as planned, or found different
 * @param differences for {@link Outcome#DIFFERS}, each way the existing topic differs, for a person
 */
public record TopicReport(TopicSpec spec, Outcome outcome, List<String> differences) {

    /** What was found or done. */
    public enum Outcome {
        /** The topic did not exist and was created as planned. */
        CREATED,
        /** The topic existed as planned. */
        EXISTS,
        /** The topic existed but differs from the plan; it was left as it is. */
        DIFFERS
    }

    public TopicReport {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(outcome, "outcome");
        differences = List.copyOf(differences);
    }

    /** One line for the console. */
    public String line() {
        final String planned = spec.partitions() + " partitions, replication " + spec.replicationFactor() + ", "
                + spec.configs();
        return switch (outcome) {
            case CREATED -> "created  " + spec.name() + " (" + planned + ")";
            case EXISTS -> "exists   " + spec.name() + " (" + planned + ")";
            case DIFFERS -> "WARNING  " + spec.name() + " exists but differs from the plan, left as it is: "
                    + String.join("; ", differences);
        };
    }
}
