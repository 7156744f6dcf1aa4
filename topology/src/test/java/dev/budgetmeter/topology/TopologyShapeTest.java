package dev.budgetmeter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.topology.state.StateStores;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The topology's shape is part of its contract: store and processor names name changelog topics and metrics. */
class TopologyShapeTest {

    private final TopologyDescription description = MeteringTopology.build(new MeteringConfig(Map.of(
            MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://shape",
            MeteringConfig.TOPIC_PREFIX_CONFIG, "prod.budget."))).describe();

    @Test
    void one_sub_topology_with_no_repartition_because_everything_is_keyed_by_reservation() {
        assertThat(description.subtopologies()).hasSize(1);
        assertThat(description.toString()).doesNotContain("repartition");
    }

    @Test
    void reads_and_writes_the_prefixed_topics_through_named_operators() {
        final String text = description.toString();
        assertThat(text)
                .contains("Source: " + MeteringTopology.SOURCE + " (topics: [prod.budget.stream-events])")
                .contains("Processor: " + MeteringTopology.DECODE)
                .contains("Processor: " + MeteringTopology.LIFECYCLE + " (stores: [")
                .contains("topic: prod.budget.commands")
                .contains("topic: prod.budget.audit")
                .contains("topic: prod.budget.dead-letters");
    }

    @Test
    void with_the_budget_ledger_a_second_sub_topology_keyed_by_tenant_owns_the_budgets() {
        final TopologyDescription ledger = MeteringTopology.build(new MeteringConfig(Map.of(
                MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://shape",
                MeteringConfig.AUTHORITY_CONFIG, "LEDGER"))).describe();

        assertThat(ledger.subtopologies()).hasSize(2);
        assertThat(ledger.toString()).doesNotContain("repartition")
                .contains("Source: " + MeteringTopology.LEDGER_REPLIES_SOURCE + " (topics: [budget.ledger-replies])")
                .contains("Source: " + MeteringTopology.BUDGET_OPERATIONS_SOURCE
                        + " (topics: [budget.budget-operations])")
                .contains("Processor: " + MeteringTopology.LEDGER + " (stores: [")
                .contains("topic: budget.decisions")
                .contains("topic: budget.balances")
                .contains("topic: budget.ledger-requests");
    }

    @Test
    void the_lifecycle_processor_owns_its_four_state_stores() {
        final TopologyDescription.Processor lifecycle = description.subtopologies().iterator().next().nodes().stream()
                .filter(node -> node.name().equals(MeteringTopology.LIFECYCLE))
                .map(TopologyDescription.Processor.class::cast)
                .findFirst().orElseThrow();

        assertThat(lifecycle.stores())
                .containsExactlyInAnyOrder(StateStores.RESERVATIONS, StateStores.USAGE, StateStores.DEADLINES,
                        StateStores.ORPHANS);
    }
}
