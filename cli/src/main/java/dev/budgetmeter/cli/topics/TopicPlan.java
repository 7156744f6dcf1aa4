package dev.budgetmeter.cli.topics;

import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of one deployment, derived from the {@link Topics} registry: the only place where the CLI decides
 * partitions, replication and settings, for the demo's local stack, for {@code budget-meter topics} and so for the
 * docker-compose cluster alike.
 */
public final class TopicPlan {

    /** Replication factor of {@code budget-meter topics} unless told otherwise: a production cluster's. */
    public static final short DEFAULT_REPLICATION_FACTOR = 3;

    private TopicPlan() {
    }

    /**
     * Every topic of {@link Topics#ALL} under {@code prefix}.
     *
     * @param partitions        one count for every topic, or empty for each definition's default
     * @param replicationFactor replicas per partition
     * @param minInsyncReplicas {@code min.insync.replicas} for every topic, or empty for the broker's default
     */
    public static List<TopicSpec> of(final String prefix, final OptionalInt partitions, final short replicationFactor,
                                     final OptionalInt minInsyncReplicas) {
        return of(prefix, partitions, replicationFactor, minInsyncReplicas, List.of());
    }

    /**
     * Every topic of {@link Topics#ALL} under {@code prefix}, then the input topic of each tenant
     * ({@link TenantTopics}) with the settings and partition count of {@link Topics#STREAM_EVENTS}: every input
     * topic of a deployment has one count, so that a reservation's records meet in one task whichever topic they are
     * read from (the application checks it at start).
     */
    public static List<TopicSpec> of(final String prefix, final OptionalInt partitions, final short replicationFactor,
                                     final OptionalInt minInsyncReplicas, final List<String> tenants) {
        if (minInsyncReplicas.isPresent() && minInsyncReplicas.getAsInt() > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas.getAsInt()
                    + " cannot exceed the replication factor " + replicationFactor + ": every write would fail");
        }
        final List<TopicSpec> plan = new ArrayList<>(Topics.ALL.stream().map(definition -> spec(definition, prefix,
                partitions, replicationFactor, minInsyncReplicas)).toList());
        final TopicSpec input = spec(Topics.STREAM_EVENTS, prefix, partitions, replicationFactor, minInsyncReplicas);
        tenants.stream().distinct().forEach(tenant -> plan.add(new TopicSpec(TenantTopics.name(prefix, tenant),
                input.partitions(), input.replicationFactor(), input.configs())));
        return List.copyOf(plan);
    }

    private static TopicSpec spec(final TopicDefinition<String, ?> definition, final String prefix,
                                  final OptionalInt partitions, final short replicationFactor,
                                  final OptionalInt minInsyncReplicas) {
        final Map<String, String> configs = new HashMap<>(definition.configs());
        minInsyncReplicas.ifPresent(min -> configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(min)));
        return new TopicSpec(definition.name(prefix), partitions.orElse(definition.defaultPartitions()),
                replicationFactor, configs);
    }
}
