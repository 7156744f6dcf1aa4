package dev.budgetmeter.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.Topics;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    @Test
    void every_registered_topic_is_planned_with_its_own_partitions_and_settings() {
        final List<TopicSpec> plan = TopicPlan.of("budget.", OptionalInt.empty(), (short) 3, OptionalInt.of(2));

        assertThat(plan).hasSize(Topics.ALL.size());
        for (int i = 0; i < plan.size(); i++) {
            final TopicDefinition<String, ?> definition = Topics.ALL.get(i);
            final TopicSpec spec = plan.get(i);
            assertThat(spec.name()).isEqualTo(definition.name("budget."));
            assertThat(spec.partitions()).isEqualTo(definition.defaultPartitions());
            assertThat(spec.replicationFactor()).isEqualTo((short) 3);
            assertThat(spec.configs()).containsAllEntriesOf(definition.configs())
                    .containsEntry("min.insync.replicas", "2");
        }
    }

    @Test
    void each_tenants_input_topic_follows_the_shared_input_topic_in_partitions_and_settings() {
        final List<TopicSpec> plan = TopicPlan.of("budget.", OptionalInt.of(4), (short) 3, OptionalInt.of(2),
                List.of("acme", "globex", "acme"));

        final TopicSpec shared = plan.get(0);
        assertThat(plan.subList(Topics.ALL.size(), plan.size())).extracting(TopicSpec::name)
                .containsExactly("budget.stream-events.acme", "budget.stream-events.globex");
        assertThat(plan.subList(Topics.ALL.size(), plan.size())).allSatisfy(tenant -> {
            assertThat(tenant.partitions()).isEqualTo(shared.partitions());
            assertThat(tenant.configs()).isEqualTo(shared.configs());
        });
    }

    @Test
    void the_audit_topic_is_kept_forever() {
        final TopicSpec audit = TopicPlan.of("x.", OptionalInt.empty(), (short) 1, OptionalInt.empty()).stream()
                .filter(spec -> spec.name().equals("x.audit")).findFirst().orElseThrow();

        assertThat(audit.configs()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete")
                .doesNotContainKey("min.insync.replicas");
    }

    @Test
    void one_partition_count_overrides_every_default() {
        assertThat(TopicPlan.of("x.", OptionalInt.of(2), (short) 1, OptionalInt.empty()))
                .allMatch(spec -> spec.partitions() == 2);
    }

    @Test
    void a_min_isr_above_the_replication_factor_is_refused() {
        assertThatThrownBy(() -> TopicPlan.of("x.", OptionalInt.empty(), (short) 1, OptionalInt.of(2)))
                .hasMessageContaining("cannot exceed the replication factor");
    }
}
