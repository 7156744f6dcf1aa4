package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.run.RunSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code budget-meter stack} as another process uses it: the addresses on stdout, READY once the topics exist, and
 * a stop when its standard input ends. In this JVM, without the topology, to keep it cheap (one stack start); the
 * Node package's tests run it as a child process with the topology.
 */
class StackCommandTest {

    private static final String PREFIX = "stacktest.";

    @Test
    void help_names_the_lines_it_prints_and_how_it_stops() {
        final CliRun help = CliRun.of("stack", "--help");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("KAFKA_BOOTSTRAP_SERVERS=", "SCHEMA_REGISTRY_URL=",
                "BUDGET_METER_METERING_TOPIC_PREFIX=", "READY", "--create-topics", "--with-topology", "--set",
                "--ignore-stdin", "SIGTERM");
    }

    @Test
    void a_topology_setting_without_the_topology_is_a_usage_error() {
        final CliRun run = CliRun.of("stack", "--set", "metering.idle.timeout.ms=2000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--set configures the topology: give --with-topology");
    }

    @Test
    void prints_the_addresses_and_ready_once_the_topics_exist_and_stops_when_stdin_ends() throws Exception {
        final PipedOutputStream stdinWriter = new PipedOutputStream();
        final PipedReader stdoutReader = new PipedReader(64 * 1024);
        final CommandLine commandLine = BudgetMeterCli.commandLine();
        commandLine.setOut(new PrintWriter(new PipedWriter(stdoutReader), true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        ((StackCommand) commandLine.getSubcommands().get("stack").getCommand()).stdin =
                new PipedInputStream(stdinWriter);
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "stack", "--create-topics", "--topic-prefix", PREFIX, "--partitions", "1"));

        final Map<String, String> lines = readUntilReady(new BufferedReader(stdoutReader), exitCode);

        assertThat(lines).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL",
                "BUDGET_METER_METERING_TOPIC_PREFIX");
        assertThat(lines.get("KAFKA_BOOTSTRAP_SERVERS")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(lines.get("SCHEMA_REGISTRY_URL")).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
        assertThat(lines.get("BUDGET_METER_METERING_TOPIC_PREFIX")).isEqualTo(PREFIX);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                lines.get("KAFKA_BOOTSTRAP_SERVERS")))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Set.of(
                    PREFIX + "stream-events", PREFIX + "commands", PREFIX + "audit", PREFIX + "dead-letters"));
        }
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(lines.get("SCHEMA_REGISTRY_URL") + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        stdinWriter.close();

        assertThat(exitCode.get(60, TimeUnit.SECONDS)).isZero();
        final String[] broker = lines.get("KAFKA_BOOTSTRAP_SERVERS").split(":");
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(broker[0], Integer.parseInt(broker[1])), 2_000);
            }
        }).as("the broker is stopped").isInstanceOf(ConnectException.class);
    }

    @Test
    void with_three_secured_brokers_it_prints_the_listeners_and_the_administrators_config_file_but_no_secret()
            throws Exception {
        final PipedOutputStream stdinWriter = new PipedOutputStream();
        final PipedReader stdoutReader = new PipedReader(64 * 1024);
        final StringWriter printed = new StringWriter();
        final CommandLine commandLine = BudgetMeterCli.commandLine();
        commandLine.setOut(new PrintWriter(new PipedWriter(stdoutReader), true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        ((StackCommand) commandLine.getSubcommands().get("stack").getCommand()).stdin =
                new PipedInputStream(stdinWriter);
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "stack", "--brokers", "3", "--secure", "--create-topics", "--topic-prefix", PREFIX, "--partitions",
                "1"));

        final Map<String, String> lines = readUntilReady(new BufferedReader(stdoutReader), exitCode);
        lines.forEach((key, value) -> printed.write(key + "=" + value + "\n"));

        assertThat(lines).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL",
                "KAFKA_TLS_BOOTSTRAP_SERVERS", "BUDGET_METER_COMMAND_CONFIG", "BUDGET_METER_TLS_COMMAND_CONFIG",
                "BUDGET_METER_METERING_TOPIC_PREFIX");
        assertThat(lines.get("KAFKA_BOOTSTRAP_SERVERS")).matches("(127\\.0\\.0\\.1:\\d+,){2}127\\.0\\.0\\.1:\\d+");
        for (final String config : List.of("BUDGET_METER_COMMAND_CONFIG", "BUDGET_METER_TLS_COMMAND_CONFIG")) {
            final Map<String, Object> admin = new HashMap<>(RunSettings.loadFile(Path.of(lines.get(config))));
            assertThat(printed.toString()).doesNotContain(String.valueOf(admin.get("sasl.jaas.config")));
            try (Admin client = Admin.create(admin)) {
                final TopicDescription input = client.describeTopics(List.of(PREFIX + "stream-events"))
                        .allTopicNames().get(60, TimeUnit.SECONDS).get(PREFIX + "stream-events");
                assertThat(input.partitions().get(0).replicas()).as(config).hasSize(3);
            }
        }

        stdinWriter.close();
        assertThat(exitCode.get(60, TimeUnit.SECONDS)).isZero();
    }

    /**
     * The KEY=VALUE lines before READY; fails if any other line comes first or the command ends before it (a pipe's
     * reader would otherwise wait for good on a writer that failed).
     */
    private static Map<String, String> readUntilReady(final BufferedReader stdout,
            final CompletableFuture<Integer> exitCode) throws IOException {
        final Map<String, String> lines = new LinkedHashMap<>();
        for (String line = nextLine(stdout, exitCode); !StackCommand.READY.equals(line);
                line = nextLine(stdout, exitCode)) {
            assertThat(line).as("stdout before READY (exit %s)", exitCode.getNow(null)).isNotNull().contains("=");
            final int equals = line.indexOf('=');
            lines.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return lines;
    }

    private static String nextLine(final BufferedReader stdout, final CompletableFuture<Integer> exitCode)
            throws IOException {
        await("a line on stdout").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> stdout.ready() || exitCode.isDone());
        assertThat(stdout.ready()).as("stack exited with %s before READY", exitCode.getNow(null)).isTrue();
        return stdout.readLine();
    }
}
