package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.DeliveryFailedException;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.PlannedTerminals;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.RawSender;
import dev.budgetmeter.reliability.support.RegistrySchemas;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.support.TcpGate;
import dev.budgetmeter.reliability.support.WirePayloads;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LibraryWorker;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Tokens;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.SchemaFormatter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6: the schema registry goes down while the application runs, and comes back.
 *
 * <p>During the outage: workers whose schema id is cached keep writing, and the application keeps decoding their
 * events from its cache; another worker writes streams under a schema id the application has never seen (a textual
 * variant of the schema, registered before the outage), which the application cannot resolve until the registry is
 * back: it must neither dead-letter them nor die; and a worker that starts during the outage cannot write at all
 * (its serializer must register first) until the registry is back.
 *
 * <p>What "comes back" means: the local stack's Apicurio keeps schemas in memory, so its restart loses them and
 * hands out ids again. A production registry keeps its schemas, and every client caches ids for ever, so the test
 * restarts the registry process and restores its schemas with Apicurio's own export and import (same ids, checked)
 * before the application can reach it again: the application reaches the registry through a {@link TcpGate} that
 * stays cut until the restore is done. (Without the restore, every client's cached ids would point at other
 * schemas: see the module's report.)
 *
 * <p>Expected: nothing dead-lettered, every stream settled once with exactly its reported spend (streams live during
 * the outage may be settled by a timer when processing stalled longer than the idle timeout; their late usage then
 * becomes Debits), the streams written during the outage and by the late worker settled exactly as planned.
 *
 * <p>Seen on the way: the application registers an output schema on the first record of its kind, so the first
 * Commit after a start needs the registry too; during an outage that stalls the stream thread (replaced, retried)
 * until the registry is back, and nothing is lost. Under static membership a replaced stream thread is a new member:
 * Kafka Streams gives the replacement the next free thread index, so it joins as {@code <group.instance.id>-2} while
 * the dead thread's {@code -1} keeps its partitions until its session times out (45 s by default), and the client
 * reports RUNNING meanwhile. The recovery figure, timed from the registry's return, includes that wait.
 */
@WithKafkaStack
class RegistryOutageTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);
    /**
     * Ttl of the streams written during the outage: the protocol's default, longer than the outage. With the
     * scenarios' usual 8 s their holds would really expire while the registry is down (a hold's expiry runs from
     * its Reserve's occurred_at), and they would be settled as expired instead of as planned.
     */
    private static final long OUTAGE_STREAM_TTL_MS = 60_000;

    private final LocalKafkaStack stack;
    private final RegistrySchemas registry;
    private TcpGate gate;
    private InProcessApp app;
    private RegistrySchemas.Backup backup;

    RegistryOutageTest(final LocalKafkaStack stack) {
        this.stack = stack;
        this.registry = new RegistrySchemas(stack.schemaRegistryUrl());
    }

    /**
     * The app replaces its stream thread on purpose while the registry is unreachable, and a replaced thread ends
     * with the exception it failed on: Awaitility, which by default fails an await on any uncaught exception of any
     * thread, must not count that one.
     */
    @BeforeEach
    void letTheAppReplaceItsThreads() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterEach
    void restoreTheStack() {
        Awaitility.reset();
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            // Other tests of this JVM share the registry and cache its ids: leave it running with its schemas.
            if (!stack.registry().isRunning()) {
                stack.registry().start();
                if (backup != null) {
                    registry.restore(backup);
                }
            }
            if (gate != null) {
                gate.close();
            }
        }
    }

    @Test
    void registry_down_while_the_app_runs_loses_nothing_and_counts_nothing_twice(@TempDir final Path stateDir)
            throws Exception {
        final long started = System.nanoTime();
        final URI registryUri = URI.create(stack.schemaRegistryUrl());
        gate = TcpGate.to(registryUri.getHost(), registryUri.getPort());
        final String gatedUrl = registryUri.getScheme() + "://" + registryUri.getHost() + ":" + gate.port()
                + registryUri.getPath();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "registry", gatedUrl);
        app = InProcessApp.start(deployment.meteringSettings(stateDir));
        final Workload workload = Workload.mixed("reg", 200, 8, 10, 40, ScenarioDeployment.TTL_MS, 6L);
        final Workload unseenSchema = Workload.mixed("reg-unseen", 40, 1, 0, 0, OUTAGE_STREAM_TTL_MS, 16L);
        final List<StreamPlan> libraryStreams = Workload.mixed("reg-lib", 40, 1, 0, 0, OUTAGE_STREAM_TTL_MS, 26L)
                .plans().stream().filter(LibraryWorker::playable).toList();

        try (EventSender worker = deployment.eventSender();
             BudgetMeter library = libraryWorker(deployment);
             LoadDriver load = LoadDriver.start(workload, worker, Duration.ofMillis(250))) {
            await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.ticks() >= 4);
            worker.flush();
            final Topic<String, StreamEvent> input = deployment.topics().topic(Topics.STREAM_EVENTS);
            final int variantId = registry.register(input.name() + "-value",
                    SchemaFormatter.format("json/pretty", StreamEvent.getClassSchema()));
            backup = registry.backup();

            final long outageStart = System.nanoTime();
            gate.cut();
            stack.registry().stop();
            final List<StreamEvent> unseenEvents = writeUnderSchemaId(input, unseenSchema, variantId);
            assertThatThrownBy(() -> library.open(LibraryWorker.reservation(libraryStreams.get(0))))
                    .as("a worker that starts during the outage cannot register its schema, so cannot open a stream")
                    .isInstanceOf(DeliveryFailedException.class)
                    .hasCauseInstanceOf(SchemaRegistryUnavailableException.class);
            final int ticksAtCut = load.ticks();
            await("load goes on during the outage").atMost(Duration.ofSeconds(90))
                    .until(() -> load.ticks() >= ticksAtCut + 12);
            assertThat(app.app().isAlive()).as("the app is alive during the outage").isTrue();
            stack.registry().start();
            registry.restore(backup);
            gate.pass();
            final Recovery.Fault back = Recovery.Fault.onEveryPartition("the registry's return",
                    deployment.inputPartitions());
            final Duration outage = Duration.ofNanos(System.nanoTime() - outageStart);

            final Map<String, Tokens> libraryDelivered = new LibraryWorker(library)
                    .play(libraryStreams, Duration.ofSeconds(60));
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(worker.failures()).isEmpty();
            final List<StreamEvent> acknowledged = new ArrayList<>(worker.acknowledged());
            acknowledged.addAll(unseenEvents);
            final ProducerTruth truth = ProducerTruth.of(acknowledged).with(libraryDelivered);
            final List<StreamPlan> exact = Stream.concat(unseenSchema.plans().stream(), libraryStreams.stream())
                    .toList();
            final LedgerCheck.Outcome outcome = new LedgerCheck(deployment.ledgerReader(), truth.expectations(),
                    snapshot -> Stream.of(ScenarioChecks.spendAndTerminals(snapshot, truth, workload.plans(), true),
                            PlannedTerminals.compare(snapshot, exact, false).problems())
                            .flatMap(List::stream).toList()).awaitHolds(SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();

            ScenarioFigures.of("6. registry down and back", String.format("registry unreachable %.1f s (process"
                            + " stopped, restarted, schemas restored); %d streams written during it under an uncached"
                            + " schema id; a library worker refused during it, then %d streams; %s",
                    outage.toMillis() / 1000.0, unseenSchema.size(), libraryStreams.size(),
                    PlannedTerminals.compare(outcome.snapshot(), workload.plans(), true)
                            .timerSettlements(workload.size())),
                    worker.sent() + unseenEvents.size() + library.metrics().eventsSent()
                            + library.metrics().eventsRefused(), started, back.measure(outcome.snapshot()), outcome)
                    .publish();
        }
    }

    /**
     * Writes the streams as another worker whose schema text differs (so its id is one the application has not
     * resolved yet): each event's bytes with the header naming {@code schemaId}.
     */
    private List<StreamEvent> writeUnderSchemaId(final Topic<String, StreamEvent> input, final Workload streams,
                                                 final int schemaId) {
        final List<StreamEvent> written = new ArrayList<>();
        final Instant now = Instant.now();
        try (RawSender otherWorker = new RawSender(stack.bootstrapServers())) {
            for (final StreamPlan plan : streams.plans()) {
                for (final StreamEvent event : plan.allEvents(now)) {
                    otherWorker.send(input.name(), key(event), WirePayloads.withSchemaId(
                            input.valueSerde().serializer().serialize(input.name(), event), schemaId));
                    written.add(event);
                }
            }
        }
        return written;
    }

    /**
     * A worker on the real producer library, not started yet: its first stream must register the schema. Its own
     * registry bounds (no other client of this JVM has them) keep its registry client and cache its own.
     */
    private BudgetMeter libraryWorker(final ScenarioDeployment deployment) {
        return BudgetMeter.builder()
                .bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl())
                .topicPrefix(deployment.prefix())
                .workerId("reliability-library-worker")
                .serdeProperty(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000)
                .serdeProperty(AvroSerdeConfig.MAX_RETRIES_CONFIG, 0)
                .blockTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static byte[] key(final StreamEvent event) {
        return event.getReservationId().getBytes(StandardCharsets.UTF_8);
    }
}
