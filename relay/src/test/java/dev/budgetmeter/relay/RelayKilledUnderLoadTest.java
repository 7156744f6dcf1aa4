package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cycles.standin.CyclesStandIn;
import dev.budgetmeter.cycles.standin.EventView;
import dev.budgetmeter.cycles.standin.RecordedRequest;
import dev.budgetmeter.cycles.standin.RecordedRequest.Disposition;
import dev.budgetmeter.cycles.standin.ReservationState;
import dev.budgetmeter.cycles.standin.ReservationView;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.CyclesAuthority;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with a Cycles server as the authority, on the real local stack: 500 streams of workers that reserve
 * through the producer library against the Cycles stand-in (real HTTP, its own ledger and idempotency store), the
 * metering topology ({@code metering.authority=CYCLES}) that decides extends, commits, releases and debits, and the
 * relay as a process of its own, killed with SIGKILL mid-load and started again under the same group. Checked on the
 * server's own books: every reservation ended exactly once, each charged exactly its stream's priced usage (by its
 * commit, or by events when its hold ran out while the relay was down), every command reached the server and has a
 * result, and the kill added only same-key replays, never a second effect.
 */
@WithKafkaStack
class RelayKilledUnderLoadTest {

    private static final int STREAMS = 500;
    private static final int WORKERS = 20;
    private static final String KEY = "key-acme-load";
    private static final Duration BOUND = Duration.ofSeconds(180);

    private final KafkaStack stack;

    RelayKilledUnderLoadTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void five_hundred_streams_settle_exactly_once_on_the_server_through_a_relay_killed_mid_load(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final RelayDeployment deployment = RelayDeployment.create(stack, "load");
        try (CyclesStandIn server = CyclesStandIn.start().apiKey("acme", KEY)
                .budget("tenant:acme", "USD_MICROCENTS", 1_000_000_000_000L);
             MeteringApp app = MeteringApp.create(new MeteringConfig(meteringSettings(deployment, stateDir)))) {
            app.start();
            await("the topology ready").atMost(BOUND).until(app::isReady);
            RelayChild relay = RelayChild.start("relay-1", relayArgs(deployment, server), KEY);
            final List<RelayChild> children = new ArrayList<>(List.of(relay));
            try {
                await("the relay ready").atMost(BOUND).until(relay::ready);
                final Map<String, Long> expected = new ConcurrentHashMap<>();
                final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
                final long killedAt;
                final long readyAgainAt;
                try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(stack.bootstrapServers())
                        .schemaRegistryUrl(stack.schemaRegistryUrl()).topicPrefix(deployment.prefix())
                        // Generous bounds: the machine is shared, and a reserve that times out would end the test.
                        .cycles(CyclesAuthority.at(server.url(), KEY).requestTimeout(Duration.ofSeconds(20)))
                        .decisionTimeout(Duration.ofSeconds(90)).blockTimeout(Duration.ofSeconds(60)).build()) {
                    final List<Future<?>> streams = new ArrayList<>();
                    for (int i = 0; i < STREAMS; i++) {
                        final int n = i;
                        streams.add(workers.submit(() -> stream(meter, n, expected)));
                    }
                    await("load under way").atMost(BOUND).until(() -> commandsSent(server) >= 200);
                    final RelayChild victim = relay;
                    killedAt = System.nanoTime();
                    victim.killHard();
                    relay = RelayChild.start("relay-2", relayArgs(deployment, server), KEY);
                    children.add(relay);
                    final RelayChild restarted = relay;
                    await("the restarted relay ready").atMost(BOUND).until(restarted::ready);
                    readyAgainAt = System.nanoTime();
                    for (final Future<?> stream : streams) {
                        stream.get();
                    }
                    meter.flush();
                } finally {
                    workers.shutdownNow();
                }
                assertThat(expected).hasSize(STREAMS);

                await("every reservation ended on the server").atMost(BOUND).until(() ->
                        server.reservations().stream().allMatch(r -> r.state() != ReservationState.ACTIVE));
                await("every command has its result").atMost(BOUND).until(() -> unanswered(deployment).isEmpty());

                final Figures figures = check(server, deployment, expected);
                figures.write(killedAt, readyAgainAt, started);
            } catch (final AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nrelay log:\n" + relay.logTail(), e);
            } finally {
                children.forEach(RelayChild::close);
            }
        }
    }

    /** One worker's stream: most complete, some fail after output, some are cancelled before any, some are long. */
    private static void stream(final BudgetMeter meter, final int n, final Map<String, Long> expected) {
        final boolean cancelled = n % 10 == 0;
        final boolean failed = n % 10 == 1;
        final boolean longStream = n % 10 == 2;
        final long output = 20 + (n * 7L) % 150;
        final long input = 10 + n % 30;
        final StreamReservation reservation = StreamReservation.builder()
                .subject(Subject.tenant("acme").workspace("load").agent("bot-" + n % 7))
                .action("llm.completion", "gpt-4o").estimate(Amount.usdMicrocents(300_000))
                .pricing(Pricing.perToken(250, 1_000)).ttl(Duration.ofSeconds(longStream ? 4 : 30)).build();
        try (MeteredStream stream = meter.open(reservation)) {
            if (cancelled) {
                expected.put(stream.reservationId(), 0L);
                stream.cancel("user_cancelled");
                return;
            }
            for (int chunk = 0; chunk < 5; chunk++) {
                stream.chunk(output / 5, chunk == 0 ? input : 0);
                Thread.sleep(longStream ? 1_000 : 40);
            }
            stream.usage(input, output);
            expected.put(stream.reservationId(), input * 250 + output * 1_000);
            if (failed) {
                stream.fail(new IllegalStateException("provider cut the stream"));
            } else {
                stream.complete();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Figures check(final CyclesStandIn server, final RelayDeployment deployment,
                                 final Map<String, Long> expected) {
        final List<ReservationView> reservations = server.reservations();
        assertThat(reservations).extracting(ReservationView::id).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(reservations).as("every reservation ended exactly once on the server")
                .allSatisfy(reservation -> assertThat(reservation.finalizations()).isEqualTo(1));

        final Map<String, Long> charged = new HashMap<>();
        reservations.forEach(reservation -> charged.put(reservation.id(), reservation.charged()));
        for (final EventView event : server.events()) {
            final String id = event.idempotencyKey().substring(0, event.idempotencyKey().indexOf(':'));
            charged.merge(id, event.charged(), Long::sum);
        }
        assertThat(charged).as("each reservation charged exactly its stream's priced usage")
                .containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(server.balance("tenant:acme", "USD_MICROCENTS").path("spent").path("amount").asLong())
                .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
        assertThat(server.brokenInvariants()).isEmpty();

        final List<RecordedRequest> requests = server.requests();
        final Map<String, List<RecordedRequest>> byKey = requests.stream().collect(Collectors.groupingBy(
                request -> request.operation() + " " + request.idempotencyKey()));
        assertThat(byKey).as("at most one effect per operation and key: everything else is a same-key replay")
                .allSatisfy((key, sent) -> assertThat(sent).filteredOn(request ->
                        request.disposition() == Disposition.APPLIED
                                || request.disposition() == Disposition.FAULT_AFTER_APPLY).hasSizeLessThanOrEqualTo(1));
        assertThat(requests).as("no command met a 409: no key was sent with another body (IDEMPOTENCY_MISMATCH),"
                + " none settled twice (RESERVATION_FINALIZED)").filteredOn(request -> request.status() == 409)
                .isEmpty();

        final List<ConsumerRecord<String, CommandResult>> results = deployment.results();
        final Set<String> commands = deployment.commands().stream().map(ConsumerRecord::key).collect(
                Collectors.toSet());
        final Map<String, CommandResult> latest = new HashMap<>();
        results.forEach(record -> latest.put(record.key(), record.value()));
        assertThat(latest.values()).extracting(CommandResult::getOutcome).as("no command refused or mismatched")
                .doesNotContain(CommandOutcome.DEAD_LETTERED, CommandOutcome.IDEMPOTENCY_MISMATCH);
        final Set<String> keysSent = requests.stream().map(RecordedRequest::idempotencyKey)
                .collect(Collectors.toSet());
        final List<String> commandIds = deployment.commands().stream().map(record -> record.value().getCommandId())
                .toList();
        assertThat(keysSent).as("every command reached the server").containsAll(commandIds);
        final Map<CommandOutcome, Long> outcomes = new TreeMap<>(latest.values().stream().collect(
                Collectors.groupingBy(CommandResult::getOutcome, Collectors.counting())));
        final long replays = requests.stream().filter(r -> !r.operation().equals("reserve")
                && r.disposition() == Disposition.REPLAYED).count();
        return new Figures(commands.size(), commandIds.size(), results.size(), replays, outcomes, requests.size());
    }

    /** Command ids the topology committed that have no result yet. */
    private static Set<String> unanswered(final RelayDeployment deployment) {
        final Set<String> answered = deployment.results().stream().map(ConsumerRecord::key)
                .collect(Collectors.toSet());
        return deployment.commands().stream().map(record -> record.value().getCommandId())
                .filter(id -> !answered.contains(id)).collect(Collectors.toSet());
    }

    private static long commandsSent(final CyclesStandIn server) {
        return server.requests().stream().filter(request -> !request.operation().equals("reserve")).count();
    }

    private static Map<String, Object> meteringSettings(final RelayDeployment deployment, final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, deployment.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, deployment.schemaRegistryUrl());
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, deployment.prefix());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, deployment.prefix() + "metering");
        settings.put(MeteringConfig.AUTHORITY_CONFIG, "CYCLES");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return settings;
    }

    private static List<String> relayArgs(final RelayDeployment deployment, final CyclesStandIn server) {
        return List.of("--cycles-url", server.url().toString(), "--bootstrap-servers", deployment.bootstrapServers(),
                "--schema-registry-url", deployment.schemaRegistryUrl(), "--topic-prefix", deployment.prefix(),
                "--set", RelayConfig.GROUP_ID_CONFIG + "=" + deployment.prefix() + "relay",
                // Static membership: the restarted relay takes the killed one's partitions at once.
                "--set", "group.instance.id=" + deployment.prefix() + "relay-0",
                "--set", "session.timeout.ms=15000",
                "--set", RelayConfig.REQUEST_TIMEOUT_MS_CONFIG + "=3000",
                "--set", RelayConfig.RETRY_INITIAL_MS_CONFIG + "=50",
                "--set", RelayConfig.RETRY_MAX_MS_CONFIG + "=1000");
    }

    /** What the run showed, for the README. */
    private record Figures(int commandKeys, int commands, int results, long replays,
                           Map<CommandOutcome, Long> outcomes, int requests) {

        void write(final long killedAt, final long readyAgainAt, final long started) throws IOException {
            final String line = String.format("| %d streams, relay killed with SIGKILL mid-load | %d commands of %d"
                            + " reservations, %d result records (the kill's resends wrote some twice), %d requests to"
                            + " the server, %d same-key replays | outcomes %s | relay back in %.1f s | whole test"
                            + " %.0f s |%n", STREAMS, commands, commandKeys, results, requests, replays, outcomes,
                    (readyAgainAt - killedAt) / 1e9, (System.nanoTime() - started) / 1e9);
            final String file = System.getProperty("relay.figures.file");
            if (file != null) {
                Files.writeString(Path.of(file), line, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            System.out.print(line);
        }
    }
}
