package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budget-meter budgets} against the real stack and the topology running with the ledger: every change is
 * answered by the ledger, a retried operation id is applied once, a refusal exits 1 with the ledger's reason, and
 * {@code show} and {@code list} read the balances the ledger published.
 */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetsCommandTest {

    private final String prefix = "budgets" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final KafkaStack stack;
    private MeteringApp app;

    BudgetsCommandTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void start_the_topology_with_the_ledger(@TempDir final Path stateDir) {
        TopicProvisioner.ensureOn(stack.bootstrapServers(),
                TopicPlan.of(prefix, OptionalInt.of(2), (short) 1, OptionalInt.empty()), Duration.ofSeconds(60));
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, prefix + "metering");
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(MeteringConfig.AUTHORITY_CONFIG, "LEDGER");
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, 200L);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        app = MeteringApp.create(new MeteringConfig(settings));
        app.start();
        await().atMost(Duration.ofSeconds(90)).until(app::isReady);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void a_budget_is_set_funded_frozen_and_closed_and_each_answer_is_the_ledgers() {
        final CliRun set = budgets("set", "tenant:acme", "--allocated", "1000000", "--overdraft-limit", "5000",
                "--reason", "pilot");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).contains("tenant:acme USD_MICROCENTS ACTIVE: allocated 1,000,000, reserved 0, spent 0,"
                + " debt 0, remaining 1,000,000, overdraft limit 5,000");

        final CliRun credit = budgets("fund", "tenant:acme", "--kind", "credit", "--amount", "250000");
        assertThat(credit.exitCode()).as(credit.toString()).isZero();
        assertThat(credit.out()).contains("allocated 1,250,000", "remaining 1,250,000");

        final CliRun freeze = budgets("freeze", "tenant:acme", "--reason", "incident 42");
        assertThat(freeze.exitCode()).as(freeze.toString()).isZero();
        assertThat(freeze.out()).contains("tenant:acme USD_MICROCENTS FROZEN");

        final CliRun fundFrozen = budgets("fund", "tenant:acme", "--kind", "CREDIT", "--amount", "1");
        assertThat(fundFrozen.exitCode()).as("refused by the ledger: %s", fundFrozen).isEqualTo(1);
        assertThat(fundFrozen.out()).contains("BUDGET_FROZEN");

        assertThat(budgets("unfreeze", "tenant:acme").exitCode()).isZero();
        final CliRun close = budgets("close", "tenant:acme");
        assertThat(close.exitCode()).as(close.toString()).isZero();
        assertThat(close.out()).contains("tenant:acme USD_MICROCENTS CLOSED");
        final CliRun reopen = budgets("unfreeze", "tenant:acme");
        assertThat(reopen.exitCode()).as(reopen.toString()).isEqualTo(1);
        assertThat(reopen.out()).contains("BUDGET_CLOSED");

        final CliRun show = budgets("show", "tenant:acme");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("tenant:acme USD_MICROCENTS CLOSED: allocated 1,250,000");
    }

    @Test
    void an_operation_retried_with_its_id_is_applied_once() {
        assertThat(budgets("set", "tenant:retry", "--unit", "tokens", "--allocated", "100").exitCode()).isZero();
        final CliRun first = budgets("fund", "tenant:retry", "--unit", "tokens", "--kind", "CREDIT", "--amount", "10",
                "--operation-id", "retry-op-1");
        final CliRun again = budgets("fund", "tenant:retry", "--unit", "tokens", "--kind", "CREDIT", "--amount", "10",
                "--operation-id", "retry-op-1");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        final CliRun show = budgets("show", "tenant:retry");
        assertThat(show.out()).as(show.toString()).contains("tenant:retry TOKENS ACTIVE: allocated 110,");
    }

    @Test
    void list_prints_every_budget_of_a_tenant_sorted_by_scope() {
        assertThat(budgets("set", "tenant:listed/workspace:b", "--allocated", "20").exitCode()).isZero();
        assertThat(budgets("set", "tenant:listed", "--allocated", "30", "--max-tokens", "512").exitCode()).isZero();
        assertThat(budgets("set", "tenant:listed/workspace:a", "--allocated", "10").exitCode()).isZero();

        final CliRun list = budgets("list", "--tenant", "listed");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        final List<String> scopes = new ArrayList<>();
        list.out().lines().forEach(line -> scopes.add(line.substring(0, line.indexOf(' '))));
        assertThat(scopes).containsExactly("tenant:listed", "tenant:listed/workspace:a", "tenant:listed/workspace:b");
    }

    @Test
    void a_change_to_a_budget_that_does_not_exist_is_a_usage_error_that_says_to_set_one() {
        final CliRun fund = budgets("fund", "tenant:nobody", "--kind", "CREDIT", "--amount", "5");
        assertThat(fund.exitCode()).isEqualTo(2);
        assertThat(fund.err()).contains("no budget for scope tenant:nobody in USD_MICROCENTS",
                "budget-meter budgets set tenant:nobody");
        assertThat(budgets("show", "tenant:nobody").exitCode()).isEqualTo(1);
    }

    @Test
    void a_scope_without_its_tenant_is_a_usage_error_before_anything_is_sent() {
        final CliRun set = budgets("set", "workspace:prod", "--allocated", "5");
        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).contains("must start with its tenant");
    }

    private CliRun budgets(final String... args) {
        final List<String> all = new ArrayList<>(List.of("budgets"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url",
                stack.schemaRegistryUrl(), "--topic-prefix", prefix));
        return CliRun.of(all.toArray(String[]::new));
    }
}
