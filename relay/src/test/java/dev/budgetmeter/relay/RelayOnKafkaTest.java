package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.cycles.standin.Fault;
import dev.budgetmeter.cycles.standin.RecordedRequest;
import dev.budgetmeter.cycles.standin.RecordedRequest.Disposition;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topics.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay as it runs: a real broker and registry (the local stack), the commands topic written as the topology
 * writes it, the relay's parallel consumer, and the Cycles stand-in on real HTTP. Checks what only the whole shows:
 * order per reservation with many at once, results in the reservation's partition, offsets committed only after the
 * result (a relay stopped mid-flight is followed by one that resends the same key), unreadable commands
 * dead-lettered while the others go on, and the operations endpoints.
 */
@WithKafkaStack
class RelayOnKafkaTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private final KafkaStack stack;
    private final StandInRig rig = new StandInRig();
    private final List<CommandRelay> relays = new ArrayList<>();

    RelayOnKafkaTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void close() {
        relays.forEach(relay -> relay.close(Duration.ofSeconds(5)));
        rig.close();
    }

    @Test
    void each_reservations_commands_reach_the_server_in_order_while_many_reservations_proceed_at_once()
            throws Exception {
        final RelayDeployment deployment = RelayDeployment.create(stack, "order");
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(rig.reserve("order-" + i, 50_000));
        }
        try (KafkaProducer<String, BudgetCommand> producer = deployment.commandProducer()) {
            for (final String id : ids) {
                for (int n = 1; n <= 3; n++) {
                    deployment.send(producer, Commands.extend(id, n, 10_000));
                }
                deployment.send(producer, Commands.commit(id, 20_000));
                deployment.send(producer, Commands.debit(id, 1, 1_000, java.time.Instant.now()));
            }
        }

        start(deployment);

        await("every command's result").atMost(BOUND).until(() -> deployment.results().size() >= ids.size() * 5);
        final List<ConsumerRecord<String, CommandResult>> results = deployment.results();
        assertThat(results).extracting(record -> record.value().getOutcome()).containsOnly(CommandOutcome.APPLIED);
        for (final ConsumerRecord<String, CommandResult> result : results) {
            assertThat(result.key()).isEqualTo(result.value().getCommandId());
            assertThat(result.partition()).isEqualTo(ResultWriter.partitionOf(result.value().getReservationId(),
                    RelayDeployment.PARTITIONS));
        }
        for (final String id : ids) {
            final List<String> sent = rig.server.requests().stream().filter(r -> id.equals(r.reservationId())
                    || (r.idempotencyKey() != null && r.idempotencyKey().startsWith(id + ":debit")))
                    .map(RecordedRequest::idempotencyKey).collect(Collectors.toList());
            assertThat(sent).containsExactly(id + ":extend:1", id + ":extend:2", id + ":extend:3", id + ":commit",
                    id + ":debit:1");
        }
        assertThat(rig.server.reservations()).allSatisfy(reservation ->
                assertThat(reservation.finalizations()).isEqualTo(1));
        await("the relay's group committed everything").atMost(BOUND).until(() -> relays.get(0).lag() == 0);
    }

    @Test
    void cr_durable_001_a_relay_stopped_while_its_first_commit_is_in_flight_is_followed_by_one_that_resends_it()
            throws Exception {
        final RelayDeployment deployment = RelayDeployment.create(stack, "cr-durable-001");
        final String id = rig.reserve("cr-durable-001", 50_000);
        rig.server.inject(Fault.of("commit", Fault.Kind.STALL_THEN_APPLY, 1).stalling(Duration.ofSeconds(4)));
        try (KafkaProducer<String, BudgetCommand> producer = deployment.commandProducer()) {
            deployment.send(producer, Commands.commit(id, 30_000));
        }
        final CommandRelay first = start(deployment);
        await("the commit in flight").atMost(BOUND).until(() -> !rig.server.requests("commit", id + ":commit")
                .isEmpty() || stalled(id));

        // Stopped without waiting for the command: it is not committed, as after a kill.
        first.close(Duration.ofMillis(200));
        relays.remove(first);
        start(deployment);

        await("the result").atMost(BOUND).until(() -> !deployment.results().isEmpty());
        assertThat(deployment.results()).extracting(record -> record.value().getOutcome())
                .containsOnly(CommandOutcome.APPLIED);
        await("both requests recorded").atMost(BOUND).until(() ->
                rig.server.requests("commit", id + ":commit").size() >= 2);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::disposition)
                .isSubsetOf(Disposition.APPLIED, Disposition.REPLAYED, Disposition.FAULT_AFTER_APPLY)
                .filteredOn(disposition -> disposition != Disposition.REPLAYED).hasSize(1);
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
    }

    @Test
    void cr_durable_005_an_unreadable_command_is_dead_lettered_and_the_others_still_go_out() throws Exception {
        final RelayDeployment deployment = RelayDeployment.create(stack, "cr-durable-005");
        final String id = rig.reserve("cr-durable-005", 50_000);
        deployment.sendRaw(id, new byte[] {0, 0, 0, 0, 99, 1, 2, 3});
        deployment.sendRaw(id, "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (KafkaProducer<String, BudgetCommand> producer = deployment.commandProducer()) {
            deployment.send(producer, Commands.commit(id, 30_000));
        }

        start(deployment);

        await("the valid command's result").atMost(BOUND).until(() -> deployment.results().size() == 1);
        assertThat(deployment.deadLetters()).hasSize(2).allSatisfy(record -> {
            assertThat(record.value().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(record.value().getSourceTopic()).isEqualTo(deployment.topics().name(Topics.COMMANDS));
            assertThat(record.value().getValue()).isNotNull();
        });
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
    }

    @Test
    void a_refused_command_is_a_result_and_a_dead_letter_with_the_servers_answer() throws Exception {
        final RelayDeployment deployment = RelayDeployment.create(stack, "refused");
        try (KafkaProducer<String, BudgetCommand> producer = deployment.commandProducer()) {
            deployment.send(producer, Commands.commit("rsv-unknown", 30_000));
        }

        start(deployment);

        await("the dead letter").atMost(BOUND).until(() -> !deployment.deadLetters().isEmpty());
        assertThat(deployment.results()).singleElement().satisfies(record -> {
            assertThat(record.value().getOutcome()).isEqualTo(CommandOutcome.DEAD_LETTERED);
            assertThat(record.value().getHttpStatus()).isEqualTo(404);
        });
        assertThat(deployment.deadLetters()).singleElement().satisfies(record -> {
            assertThat(record.value().getReason()).isEqualTo(DeadLetterReason.AUTHORITY_REFUSED);
            assertThat(record.value().getErrorMessage()).contains("404").contains("NOT_FOUND");
            assertThat(record.key()).isEqualTo("rsv-unknown");
        });
    }

    @Test
    void health_ready_and_metrics_report_the_running_relay() throws Exception {
        final RelayDeployment deployment = RelayDeployment.create(stack, "endpoints");
        final String id = rig.reserve("endpoints", 50_000);
        final CommandRelay relay = start(deployment);
        try (RelayEndpoints endpoints = RelayEndpoints.start(new InetSocketAddress("127.0.0.1", 0), relay);
             KafkaProducer<String, BudgetCommand> producer = deployment.commandProducer()) {
            deployment.send(producer, Commands.commit(id, 30_000));
            await("ready").atMost(BOUND).until(() -> get(endpoints, "/ready").statusCode() == 200);
            await("the result").atMost(BOUND).until(() -> deployment.results().size() == 1);

            assertThat(get(endpoints, "/health").statusCode()).isEqualTo(200);
            await("the lag measured").atMost(BOUND).until(() ->
                    get(endpoints, "/metrics").body().contains("relay_lag_records 0.0"));
            assertThat(get(endpoints, "/metrics").body())
                    .contains("relay_commands_total{error_code=\"\",kind=\"COMMIT\",outcome=\"APPLIED\"} 1.0")
                    .contains("relay_requests_seconds_count{operation=\"commit\",status=\"200\"} 1")
                    .contains("relay_in_flight 0.0")
                    .contains("relay_command_latency_seconds")
                    .doesNotContain(StandInRig.API_KEY);
            relay.close(Duration.ofSeconds(5));
            relays.remove(relay);
            assertThat(get(endpoints, "/health").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void a_relay_whose_topics_do_not_exist_refuses_to_start_naming_the_topic() {
        final RelayConfig config = new RelayConfig(Map.of("bootstrap.servers", stack.bootstrapServers(),
                RelayConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl(),
                RelayConfig.TOPIC_PREFIX_CONFIG, "missing-" + System.nanoTime() + ".",
                RelayConfig.CYCLES_URL_CONFIG, rig.server.url().toString()));
        final CommandRelay relay = CommandRelay.create(config, ApiKeys.single(Secret.of(StandInRig.API_KEY)),
                Clock.systemUTC());
        relays.add(relay);

        org.assertj.core.api.Assertions.assertThatThrownBy(relay::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("commands does not exist").hasMessageContaining("budget-meter topics");
    }

    private boolean stalled(final String id) {
        return rig.server.requests().stream().anyMatch(r -> id.equals(r.reservationId()));
    }

    private CommandRelay start(final RelayDeployment deployment) {
        final CommandRelay relay = CommandRelay.create(new RelayConfig(deployment.relaySettings(rig.server.url())),
                ApiKeys.single(Secret.of(StandInRig.API_KEY)), Clock.systemUTC());
        relays.add(relay);
        relay.start();
        return relay;
    }

    private static HttpResponse<String> get(final RelayEndpoints endpoints, final String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoints.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
