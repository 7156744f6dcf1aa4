package dev.budgetmeter.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class TopicDifferencesTest {

    private static final TopicSpec PLANNED = new TopicSpec("budget.audit", 2, (short) 3,
            Map.of("retention.ms", "-1", "cleanup.policy", "delete"));
    private static final List<Node> BROKERS = List.of(new Node(1, "a", 9092), new Node(2, "b", 9092),
            new Node(3, "c", 9092));

    @Test
    void a_topic_as_planned_has_no_difference() {
        assertThat(TopicProvisioner.differences(PLANNED, description(2, 3),
                config(Map.of("retention.ms", "-1", "cleanup.policy", "delete", "segment.ms", "1")))).isEmpty();
    }

    @Test
    void partitions_replication_and_every_planned_setting_are_compared() {
        final List<String> differences = TopicProvisioner.differences(PLANNED, description(3, 1),
                config(Map.of("retention.ms", "604800000", "cleanup.policy", "delete")));

        assertThat(differences).containsExactly("it has 3 partitions, the plan 2", "replication factor 1, the plan 3",
                "retention.ms=604800000, the plan -1");
    }

    private static TopicDescription description(final int partitions, final int replicas) {
        final List<TopicPartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new TopicPartitionInfo(p, BROKERS.get(0), BROKERS.subList(0, replicas),
                    BROKERS.subList(0, replicas)));
        }
        return new TopicDescription(PLANNED.name(), false, infos, Set.of(), Uuid.randomUuid());
    }

    private static Config config(final Map<String, String> values) {
        return new Config(values.entrySet().stream().map(entry -> new ConfigEntry(entry.getKey(), entry.getValue()))
                .toList());
    }
}
