package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.HostileRecords.Hostile;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.RawSender;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.Ending;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: hostile input interleaved with a live workload. Every hostile record lands in the dead-letter topic
 * once, with its reason and pointing at its own offset; the number tried equals the number dead-lettered; a value
 * near the broker's size limit is dead-lettered cut to the configured size; every good stream still settles exactly
 * as planned, the one the hostile records target included.
 */
@WithKafkaStack
class HostileInputTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(90);

    private final KafkaStack stack;
    @AutoClose
    private InProcessApp app;

    HostileInputTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void every_hostile_record_is_dead_lettered_with_its_reason_and_good_streams_settle_as_planned(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "hostile");
        app = InProcessApp.start(deployment.meteringSettings(stateDir));
        final Workload workload = Workload.mixed("good", 200, 8, 0, 0, ScenarioDeployment.TTL_MS, 5L);
        final StreamPlan victim = workload.plans().stream()
                .filter(plan -> plan.startTick() == 0 && plan.ending() == Ending.COMPLETED).findFirst().orElseThrow();
        final String input = deployment.topics().name(Topics.STREAM_EVENTS);

        final Map<Hostile, RecordMetadata> tried = new LinkedHashMap<>();
        try (EventSender good = deployment.eventSender();
             RawSender hostile = new RawSender(deployment.bootstrapServers());
             LoadDriver load = LoadDriver.start(workload, good, Duration.ofMillis(250))) {
            await("the victim's Reserve is sent").atMost(Duration.ofSeconds(10)).until(() -> load.ticks() >= 1);
            good.flush();
            for (final Hostile record : HostileRecords.all(deployment.topics(), victim, Instant.now())) {
                tried.put(record, hostile.send(input, record.key(), record.value()));
            }
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(good.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(good.acknowledged());
            final LedgerCheck.Outcome outcome = new LedgerCheck(deployment.ledgerReader(), truth.expectations(),
                    snapshot -> Stream.of(
                            ScenarioChecks.spendAndTerminals(snapshot, truth, workload.plans(), false),
                            deadLetterProblems(snapshot, tried))
                            .flatMap(List::stream).toList()).awaitHolds(SETTLE_BOUND);

            final Map.Entry<Hostile, RecordMetadata> nearLimit = tried.entrySet().stream()
                    .filter(entry -> entry.getKey().name().startsWith("value near")).findFirst().orElseThrow();
            final DeadLetter cut = deadLetterOf(outcome.snapshot(), nearLimit.getValue());
            assertThat(cut.getValueTruncatedFrom()).as("original size recorded")
                    .isEqualTo(nearLimit.getKey().value().length);
            assertThat(cut.getValue().remaining()).as("value cut to the configured limit")
                    .isEqualTo(MeteringConfig.DEAD_LETTER_MAX_VALUE_BYTES_DEFAULT);

            ScenarioFigures.of("5. hostile input", tried.size() + " hostile records of " + tried.keySet().stream()
                    .map(Hostile::expected).distinct().count() + " dead-letter reasons, interleaved with "
                    + workload.size() + " good streams",
                    good.sent() + tried.size(), started, Recovery.NOT_APPLICABLE, outcome).publish();
        }
    }

    /**
     * The dead letters must be exactly the hostile records: as many as tried, each at its own source offset with its
     * expected reason.
     */
    private static List<String> deadLetterProblems(final LedgerSnapshot snapshot,
                                                   final Map<Hostile, RecordMetadata> tried) {
        final List<String> problems = new ArrayList<>();
        if (snapshot.deadLetters().size() != tried.size()) {
            problems.add(snapshot.deadLetters().size() + " dead letters for " + tried.size() + " hostile records: "
                    + snapshot.deadLetters().stream().map(d -> d.getReason() + "@" + d.getSourcePartition() + "/"
                    + d.getSourceOffset()).toList());
        }
        tried.forEach((record, where) -> {
            final List<DeadLetter> letters = snapshot.deadLetters().stream()
                    .filter(letter -> letter.getSourcePartition() == where.partition()
                            && letter.getSourceOffset() == where.offset()).toList();
            if (letters.size() != 1 || letters.get(0).getReason() != record.expected()) {
                problems.add(record.name() + " at " + where + ": expected one dead letter " + record.expected()
                        + ", found " + letters.stream().map(l -> l.getReason() + " (" + l.getErrorMessage() + ")")
                        .toList());
            }
        });
        return problems;
    }

    private static DeadLetter deadLetterOf(final LedgerSnapshot snapshot, final RecordMetadata where) {
        return snapshot.deadLetters().stream().filter(letter -> letter.getSourcePartition() == where.partition()
                && letter.getSourceOffset() == where.offset()).findFirst().orElseThrow();
    }
}
