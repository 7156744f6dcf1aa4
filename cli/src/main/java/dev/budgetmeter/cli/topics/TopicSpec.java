package dev.budgetmeter.cli.topics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One topic as it must exist on a cluster: full name, partitions, replication factor and topic-level settings.
 * Immutable.
 *
 * @param name              full name, prefix included
 * @param partitions        partition count, at least 1
 * @param replicationFactor replicas per partition, at least 1
 * @param configs           topic-level settings (cleanup policy, retention, min.insync.replicas), sorted by key
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor of " + name + " must be at least 1, was "
                    + replicationFactor);
        }
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }
}
