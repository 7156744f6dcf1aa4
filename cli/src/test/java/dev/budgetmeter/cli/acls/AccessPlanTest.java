package dev.budgetmeter.cli.acls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.topology.lifecycle.Authority;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class AccessPlanTest {

    private static final Principals SHARED = Principals.defaults(List.of());

    @Test
    void the_topology_owns_its_internal_topics_group_and_transactional_ids_by_its_application_id_and_nothing_else() {
        final List<String> lines = lines(AccessPlan.of("p.", "app", Authority.EXTERNAL, "relay-group", SHARED), "topology");

        assertThat(lines).contains(
                "User:budget-meter-topology ALLOW CREATE TOPIC PREFIXED app-",
                "User:budget-meter-topology ALLOW READ GROUP LITERAL app",
                "User:budget-meter-topology ALLOW WRITE TRANSACTIONAL_ID PREFIXED app-",
                "User:budget-meter-topology ALLOW READ TOPIC LITERAL p.stream-events",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.commands",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.audit",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.dead-letters");
        assertThat(lines).noneMatch(line -> line.contains("ledger") || line.contains("decisions"))
                .noneMatch(line -> line.contains(" ALL ") || line.contains("CLUSTER") || line.contains("DELETE")
                        || line.contains("ALTER"));
    }

    @Test
    void with_the_ledger_the_topology_also_reads_operations_writes_decisions_and_balances_and_owns_its_two_topics() {
        assertThat(lines(AccessPlan.of("p.", "app", Authority.LEDGER, "relay-group", SHARED), "topology")).contains(
                "User:budget-meter-topology ALLOW READ TOPIC LITERAL p.budget-operations",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.decisions",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.balances",
                "User:budget-meter-topology ALLOW READ TOPIC LITERAL p.ledger-replies",
                "User:budget-meter-topology ALLOW WRITE TOPIC LITERAL p.ledger-requests");
    }

    @Test
    void with_a_cycles_server_the_topology_also_reads_the_relays_results_and_nothing_of_the_ledger() {
        assertThat(lines(AccessPlan.of("p.", "app", Authority.CYCLES, "relay-group", SHARED), "topology"))
                .contains("User:budget-meter-topology ALLOW READ TOPIC LITERAL p.command-results")
                .noneMatch(line -> line.contains("ledger") || line.contains("decisions"));
        assertThat(lines(AccessPlan.of("p.", "app", Authority.EXTERNAL, "relay-group", SHARED), "topology"))
                .noneMatch(line -> line.contains("command-results"));
    }

    @Test
    void with_tenant_topics_each_tenants_worker_writes_its_own_topic_alone_and_the_topology_reads_them_by_prefix() {
        final AccessPlan plan = AccessPlan.of("p.", "app", Authority.EXTERNAL, "relay-group", new Principals("User:t", "User:w", "User:r",
                "User:a", Map.of("acme", "User:acme", "globex", "User:globex")));

        assertThat(lines(plan, "worker of acme")).containsExactly(
                "User:acme ALLOW WRITE TOPIC LITERAL p.stream-events.acme",
                "User:acme ALLOW READ TOPIC LITERAL p.decisions");
        assertThat(lines(plan, "topology")).contains("User:t ALLOW READ TOPIC PREFIXED p.stream-events.")
                .doesNotContain("User:t ALLOW READ TOPIC LITERAL p.stream-events");
        assertThat(plan.roles()).extracting(RoleAcls::role).doesNotContain("worker");
    }

    @Test
    void the_relay_reads_commands_in_its_group_and_writes_results_and_the_auditor_only_reads_the_outputs() {
        final AccessPlan plan = AccessPlan.of("p.", "app", Authority.EXTERNAL, "relay-group", SHARED);

        assertThat(lines(plan, "relay")).containsExactly(
                "User:budget-meter-relay ALLOW READ TOPIC LITERAL p.commands",
                "User:budget-meter-relay ALLOW READ GROUP LITERAL relay-group",
                "User:budget-meter-relay ALLOW WRITE TOPIC LITERAL p.command-results",
                "User:budget-meter-relay ALLOW WRITE TOPIC LITERAL p.dead-letters");
        assertThat(plan.roles().stream().filter(role -> role.role().equals("auditor")).findFirst().orElseThrow()
                .bindings()).extracting(AclBinding::entry).allSatisfy(entry ->
                assertThat(entry.operation()).isEqualTo(AclOperation.READ));
    }

    private static List<String> lines(final AccessPlan plan, final String role) {
        return plan.roles().stream().filter(acls -> acls.role().equals(role)).findFirst().orElseThrow().bindings()
                .stream().map(AclFormat::line).toList();
    }
}
