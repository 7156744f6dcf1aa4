package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliParsingTest {

    @Test
    void help_lists_every_command() {
        final CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("demo", "run", "topics", "audit", "simulate");
    }

    @Test
    void the_version_names_the_project_version() {
        final CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("budget-meter 0.");
    }

    @Test
    void no_command_is_a_usage_error() {
        final CliRun run = CliRun.of();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Missing a command");
    }

    @Test
    void a_command_without_a_cluster_names_both_ways_to_give_it() {
        final CliRun run = CliRun.of("audit", "verify", "--schema-registry-url", "http://localhost:1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Missing --bootstrap-servers (or set $KAFKA_BOOTSTRAP_SERVERS)");
    }

    @Test
    void invalid_fleet_shares_are_a_usage_error_with_the_reason() {
        final CliRun run = CliRun.of("simulate", "--bootstrap-servers", "localhost:1", "--schema-registry-url",
                "http://localhost:1", "--failed", "0.9", "--cancelled", "0.9");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("add up to more than 1");
    }
}
