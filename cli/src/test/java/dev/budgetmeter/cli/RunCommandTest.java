package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.localstack.KafkaStack;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code budget-meter run} in this JVM against the real local stack: its HTTP endpoint reports liveness, readiness and
 * the topology's metrics once traffic flowed, and a stop request (what SIGTERM does) closes it with exit code 0.
 */
@WithKafkaStack
class RunCommandTest {

    private final KafkaStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RunCommandTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void serves_health_readiness_and_prometheus_metrics_and_stops_on_request(@TempDir final Path stateDir)
            throws Exception {
        final String prefix = "run" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicProvisioner.ensureOn(stack.bootstrapServers(),
                TopicPlan.of(prefix, OptionalInt.of(2), (short) 1, OptionalInt.empty()), Duration.ofSeconds(60));
        final RunCommand command = new RunCommand();
        command.environment = Map.of("BUDGET_METER_METERING_PUNCTUATION_INTERVAL_MS", "200");
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> new CommandLine(command)
                .execute("--bootstrap-servers", stack.bootstrapServers(),
                        "--schema-registry-url", stack.schemaRegistryUrl(), "--topic-prefix", prefix,
                        "--application-id", prefix + "metering", "--http-port", "0",
                        "--set", "state.dir=" + stateDir, "--set", "replication.factor=1",
                        "--set", "num.standby.replicas=0"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> command.httpPort() > 0 || exitCode.isDone());
            final String base = "http://127.0.0.1:" + command.httpPort();
            await().atMost(Duration.ofSeconds(90)).until(() -> status(base + "/ready") == 200);
            assertThat(get(base + "/health").body()).isEqualTo("alive\n");

            commitOneStream(prefix);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(base + "/metrics").body())
                    .containsPattern("budget_meter_metrics_commits_total\\{[^}]*settlement=\"COMPLETED\"[^}]*} 1\n"));
            final HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE budget_meter_metrics_commits_total counter",
                    "stream_thread_metrics_");
        } finally {
            command.requestStop();
        }
        assertThat(exitCode.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(connectionRefused("http://127.0.0.1:" + command.httpPort() + "/health")).isTrue();
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
