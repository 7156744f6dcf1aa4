package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.internal.ChildJvm;
import dev.budgetmeter.localstack.internal.LogTail;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budget-meter run} as its own process, as an orchestrator runs it, against the real local stack, with the
 * executable's packaged logging: its HTTP endpoint reports liveness, readiness, and the topology's metrics (its metering
 * sensors, Kafka Streams' and the JVM's, in the format the scraper accepts) once traffic flowed, a {@code group.instance.id} makes it a static member of its group, SIGTERM closes the application and ends
 * the process with exit code 0, and a single instance with the defaults does not warn once per task that it cannot
 * place a standby.
 */
@WithKafkaStack
class RunCommandTest {

    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoint on port (\\d+)");

    private final KafkaStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RunCommandTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void serves_health_readiness_and_prometheus_metrics_and_exits_0_once_closed_on_sigterm(
            @TempDir final Path workDir) throws Exception {
        final String prefix = "run" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicProvisioner.ensureOn(stack.bootstrapServers(),
                TopicPlan.of(prefix, OptionalInt.of(2), (short) 1, OptionalInt.empty()), Duration.ofSeconds(60));
        final Path log = workDir.resolve("run.log");
        final Process run = ChildJvm.launchMain(
                // The packaged logging (not this module's test config): the log is what an operator reads.
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=log4j2.xml"),
                BudgetMeterCli.class.getName(),
                List.of("run", "--bootstrap-servers", stack.bootstrapServers(),
                        "--schema-registry-url", stack.schemaRegistryUrl(), "--topic-prefix", prefix,
                        "--application-id", prefix + "metering", "--http-host", "127.0.0.1", "--http-port", "0",
                        "--set", "state.dir=" + workDir.resolve("state"), "--set", "replication.factor=1",
                        "--set", "metering.punctuation.interval.ms=200", "--set", "group.instance.id=metering-a"),
                workDir, log);
        try {
            final String base = "http://127.0.0.1:" + awaitHttpPort(run, log);
            await().atMost(Duration.ofSeconds(90)).until(() -> status(base + "/ready") == 200);
            assertThat(get(base + "/health").body()).isEqualTo("alive\n");
            assertThat(groupInstanceIds(prefix + "metering")).as("static member, one per stream thread")
                    .containsExactly("metering-a-1");

            commitOneStream(prefix);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(base + "/metrics").body())
                    .containsPattern("kafka_budget_meter_commits_total\\{[^}]*settlement=\"COMPLETED\"[^}]*} 1.0\n"));
            final HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE kafka_budget_meter_commits_total counter",
                            "# TYPE kafka_budget_meter_active_reservations gauge", "kafka_stream_thread_process_total{",
                            "kafka_stream_task_", "kafka_consumer_", "jvm_memory_used_bytes{", "process_uptime_seconds ")
                    .containsPattern("kafka_budget_meter_active_reservations\\{[^}]*stage=\"lifecycle\"[^}]*"
                            + "task_id=\"0_[01]\"[^}]*} 0.0\n");
            assertThat(get(base + "/metrics", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
                    .headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));

            // SIGTERM through the handle: Process.destroy() would also close the child's standard input, which is
            // the parent-death watchdog's lifeline, and the watchdog would halt the child with 143 itself.
            run.toHandle().destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s of SIGTERM").isTrue();
            assertThat(run.exitValue()).as(LogTail.of(log, 40)).isZero();
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("Metering application closed")
                    // No standby by default: a single instance has nothing to warn about.
                    .doesNotContainPattern("Unable to assign \\d+ of \\d+ standby tasks")
                    // Micrometer's Kafka binder skips a metric it cannot register (Prometheus wants one set of tag
                    // keys per name) with one warning, then only at DEBUG.
                    .doesNotContain("Failed to bind");
            assertThat(connectionRefused(base + "/health")).isTrue();
        } finally {
            run.destroyForcibly();
        }
    }

    /** The port {@code --http-port 0} picked, from the log; fails at once, with the log's tail, if the run exited. */
    private static int awaitHttpPort(final Process run, final Path log) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!run.isAlive()) {
                throw new IllegalStateException("run exited with " + run.exitValue() + ":\n" + LogTail.of(log, 40));
            }
            final Matcher port = HTTP_PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return port.find() ? Integer.parseInt(port.group(1)) : 0;
        }, port -> port > 0);
    }

    private List<String> groupInstanceIds(final String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().map(member -> member.groupInstanceId().orElse("(dynamic)")).toList();
        }
    }

    private void commitOneStream(final String prefix) {
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl()).topicPrefix(prefix).build()) {
            final MeteredStream stream = meter.open(StreamReservation.builder()
                    .subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o")
                    .estimate(Amount.usdMicrocents(100_000)).pricing(Pricing.perToken(250, 1_000)).build());
            stream.chunk(10, 5);
            stream.usage(5, 10);
            stream.complete().join();
        }
    }

    private int status(final String url) throws IOException, InterruptedException {
        return get(url).statusCode();
    }

    private HttpResponse<String> get(final String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String url, final String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean connectionRefused(final String url) throws InterruptedException {
        try {
            get(url);
            return false;
        } catch (final ConnectException refused) {
            return true;
        } catch (final IOException other) {
            return other.getCause() instanceof ConnectException;
        }
    }
}
