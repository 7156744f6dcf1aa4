package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.MeteringTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics a task reads together are found from the topology, and an application whose co-read topics differ in
 * partition count refuses to start, on a real broker, naming them.
 */
@WithKafkaStack
class CoPartitionedSourcesTest {

    private final KafkaStack stack;

    CoPartitionedSourcesTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void with_the_ledger_events_and_replies_are_read_together_and_so_are_requests_and_operations() {
        assertThat(CoPartitionedSources.of(MeteringTopology.build(config("p.", "LEDGER", Map.of())).describe()))
                .containsExactlyInAnyOrder(Set.of("p.stream-events", "p.ledger-replies"),
                        Set.of("p.ledger-requests", "p.budget-operations"));
        assertThat(CoPartitionedSources.of(MeteringTopology.build(config("p.", "EXTERNAL", Map.of())).describe()))
                .as("one source, nothing to agree with").isEmpty();
    }

    @Test
    void an_application_whose_co_read_topics_differ_in_partition_count_does_not_start(
            @TempDir final Path stateDir) throws Exception {
        final String prefix = "copart" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(prefix + "stream-events", 3, (short) 1),
                    new NewTopic(prefix + "ledger-replies", 2, (short) 1),
                    new NewTopic(prefix + "ledger-requests", 2, (short) 1),
                    new NewTopic(prefix + "budget-operations", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (MeteringApp app = MeteringApp.create(config(prefix, "LEDGER", Map.of(
                MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString())))) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(prefix + "ledger-replies=2")
                    .hasMessageContaining(prefix + "stream-events=3")
                    .hasMessageContaining("must have the same partition count");
            assertThat(app.state()).as("nothing started").isEqualTo(KafkaStreams.State.CREATED);
        }
    }

    @Test
    void with_tenant_topics_the_pattern_is_read_with_the_replies_and_a_tenant_topic_of_another_count_stops_the_start(
            @TempDir final Path stateDir) throws Exception {
        assertThat(CoPartitionedSources.of(MeteringTopology.build(config("p.", "EXTERNAL",
                Map.of(MeteringConfig.TENANT_TOPICS_CONFIG, true))).describe()))
                .containsExactly(Set.of(CoPartitionedSources.PATTERN_MARK + TenantTopics.pattern("p.").pattern()));
        final String prefix = "copart" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TenantTopics.name(prefix, "acme"), 3, (short) 1),
                    new NewTopic(TenantTopics.name(prefix, "globex"), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (MeteringApp app = MeteringApp.create(config(prefix, "EXTERNAL", Map.of(
                MeteringConfig.TENANT_TOPICS_CONFIG, true,
                MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString())))) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(TenantTopics.name(prefix, "acme") + "=3")
                    .hasMessageContaining(TenantTopics.name(prefix, "globex") + "=2");
            assertThat(app.state()).as("nothing started").isEqualTo(KafkaStreams.State.CREATED);
        }
    }

    private static MeteringConfig config(final String prefix, final String authority, final Map<String, Object> more) {
        final Map<String, Object> settings = new HashMap<>(more);
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://copartitioning");
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, prefix + "metering");
        settings.put(MeteringConfig.AUTHORITY_CONFIG, authority);
        return new MeteringConfig(settings);
    }
}
