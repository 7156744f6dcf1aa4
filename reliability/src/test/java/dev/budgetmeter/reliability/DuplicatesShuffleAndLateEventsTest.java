package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.check.TokenConservation;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.Ending;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4: the whole input written twice (the second time by another producer, so the broker cannot
 * de-duplicate it), the events of some streams split over two producers in a shuffled order with the Reserve
 * last, and late events after settlement. Nothing is counted twice and nothing is lost: every stream gets exactly its
 * planned terminal, late billable usage becomes exactly one Debit, late non-billable events are only audited.
 */
@WithKafkaStack
class DuplicatesShuffleAndLateEventsTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(90);
    private static final int LATE_WRITTEN_TWICE = 10;

    private final KafkaStack stack;
    @AutoClose
    private InProcessApp app;

    DuplicatesShuffleAndLateEventsTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void duplicates_shuffled_producers_and_late_events_neither_double_count_nor_lose_spend(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "duplicates");
        app = InProcessApp.start(deployment.meteringSettings(stateDir));
        final Workload workload = Workload.mixed("dup", 300, 1, 0, 0, ScenarioDeployment.TTL_MS, 4L);
        final List<StreamPlan> shuffled = workload.ended().stream()
                .filter(plan -> plan.billedTokens().billable()).limit(60).toList();

        final List<StreamEvent> firstPass = new ArrayList<>();
        try (EventSender first = deployment.eventSender(clientId("first"));
             EventSender second = deployment.eventSender(clientId("second"))) {
            final Instant now = Instant.now();
            for (final StreamPlan plan : workload.plans()) {
                if (!shuffled.contains(plan)) {
                    firstPass.addAll(plan.allEvents(now));
                }
            }
            first.sendAll(firstPass);
            final List<StreamEvent> reserves = sendShuffledWithoutReserves(shuffled, now, first, second);
            first.flush();
            second.flush();
            // The Reserves only after every chunk and End of their streams is on the topic.
            first.sendAll(reserves);
            first.flush();
            firstPass.addAll(reserves);
            firstPass.addAll(shuffled.stream().flatMap(plan -> plan.allEvents(now).stream())
                    .filter(event -> event.getSeq() != 0).toList());

            // The whole input again, from the other producer.
            second.sendAll(firstPass);
            second.flush();
            assertThat(first.failures()).isEmpty();
            assertThat(second.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(firstPass);
            final LedgerCheck.Outcome settled = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                    workload.plans(), false, SETTLE_BOUND);
            assertThat(settled.snapshot().deadLetters()).as("dead letters").isEmpty();
            assertThat(settled.snapshot().audits()).filteredOn(audit -> audit.getKind() == AuditKind.DUPLICATE_IGNORED)
                    .as("one ignored duplicate per event written twice").hasSize(firstPass.size());

            // Late events after settlement, one of them written twice.
            final LateEvents late = LateEvents.after(workload, Instant.now());
            second.sendAll(late.events());
            second.sendAll(late.billable().subList(0, LATE_WRITTEN_TWICE));
            second.flush();
            final List<StreamEvent> everything = new ArrayList<>(firstPass);
            everything.addAll(late.events());
            final ProducerTruth finalTruth = ProducerTruth.of(everything);
            final LedgerCheck.Outcome afterLate = new LedgerCheck(deployment.ledgerReader(),
                    finalTruth.expectations(), snapshot -> TokenConservation.problems(snapshot, finalTruth))
                    .awaitHolds(SETTLE_BOUND);
            final List<BudgetCommand> debits = afterLate.snapshot().commands().stream()
                    .filter(command -> command.getBody() instanceof Debit).toList();
            assertThat(debits).as("one debit per reservation with late billable usage, none for a duplicate")
                    .hasSize(late.billable().size());
            assertThat(afterLate.snapshot().audits()).filteredOn(audit -> audit.getKind() == AuditKind.LATE_EVENT)
                    .as("every late event is audited once, its usage waiting for the Debit")
                    .hasSize(late.events().size());
            assertThat(afterLate.snapshot().audits())
                    .filteredOn(audit -> audit.getKind() == AuditKind.DUPLICATE_IGNORED)
                    .as("the late events written twice are ignored the second time")
                    .hasSize(firstPass.size() + LATE_WRITTEN_TWICE);
            assertThat(afterLate.snapshot().deadLetters()).as("dead letters").isEmpty();

            ScenarioFigures.of("4. duplicates, shuffled producers, late events",
                    "input written twice; 60 streams over 2 producers, Reserve last; "
                            + late.events().size() + " late events (" + LATE_WRITTEN_TWICE + " written twice)",
                    first.sent() + second.sent(), started, Recovery.NOT_APPLICABLE, afterLate).publish();
        }
    }

    /** Sends every event but the Reserve of each stream, odd seqs by one producer, even by the other, shuffled. */
    private static List<StreamEvent> sendShuffledWithoutReserves(final List<StreamPlan> plans, final Instant now,
                                                                 final EventSender odd, final EventSender even) {
        final List<StreamEvent> reserves = new ArrayList<>();
        final List<StreamEvent> rest = new ArrayList<>();
        for (final StreamPlan plan : plans) {
            for (final StreamEvent event : plan.allEvents(now)) {
                (event.getSeq() == 0 ? reserves : rest).add(event);
            }
        }
        Collections.shuffle(rest, new Random(7));
        rest.forEach(event -> (event.getSeq() % 2 == 1 ? odd : even).send(event));
        return reserves;
    }

    private static Map<String, Object> clientId(final String name) {
        return Map.of(ProducerConfig.CLIENT_ID_CONFIG, "reliability-" + name);
    }

    /**
     * Events after settlement: a late Chunk on completed streams and on released ones, late provider totals above
     * what was committed on failed ones (all billable: each must become one Debit), and a late End on abandoned ones
     * (not billable: only audited).
     */
    private record LateEvents(List<StreamEvent> billable, List<StreamEvent> ends) {

        static LateEvents after(final Workload workload, final Instant now) {
            final List<StreamEvent> billable = new ArrayList<>();
            workload.plans().stream()
                    .filter(plan -> plan.ending() == Ending.COMPLETED && plan.usage().isEmpty()).limit(20)
                    .forEach(plan -> billable.add(StreamEventFixture.chunk(plan.reservationId(), plan.nextSeq(),
                            now.toEpochMilli(), 7, 0)));
            workload.plans().stream()
                    .filter(plan -> plan.ending() == Ending.FAILED && plan.billedTokens().billable()).limit(10)
                    .forEach(plan -> billable.add(StreamEventFixture.usage(plan.reservationId(), plan.nextSeq(),
                            now.toEpochMilli(),
                            plan.billedTokens().input() + 3, plan.billedTokens().output() + 4, null)));
            workload.plans().stream()
                    .filter(plan -> plan.ending() == Ending.FAILED && !plan.billedTokens().billable()).limit(5)
                    .forEach(plan -> billable.add(StreamEventFixture.chunk(plan.reservationId(), plan.nextSeq(),
                            now.toEpochMilli(), 2, 9)));
            final List<StreamEvent> ends = workload.plans().stream()
                    .filter(plan -> plan.ending() == Ending.ABANDONED).limit(10)
                    .map(plan -> StreamEventFixture.end(plan.reservationId(), plan.nextSeq(), now.toEpochMilli(),
                            Outcome.COMPLETED, null))
                    .toList();
            return new LateEvents(billable, ends);
        }

        List<StreamEvent> events() {
            return Stream.concat(billable.stream(), ends.stream()).toList();
        }
    }
}
