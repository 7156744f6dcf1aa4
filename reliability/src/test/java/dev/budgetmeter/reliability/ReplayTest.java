package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.check.Trails;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.support.TopicCopier;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7: the same input reprocessed by a fresh application id into fresh output topics yields the same terminal
 * commands, ids and amounts. The input of a live run is copied byte for byte (same partitions, keys, values,
 * timestamps) to a second deployment. Compared: the streams that end with an End event, whose terminal depends on
 * the input alone; abandoned streams are settled by a wall-clock timer, whose moment (not whose amount) differs
 * between runs, and Extends are wall-clock heartbeats, so neither is compared ({@code issued_at} is wall-clock too).
 * The replay runs within the holds' ttl: see {@link #REPLAY_TTL_MS} for why.
 */
@WithKafkaStack
class ReplayTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(90);
    /**
     * Long enough that the replay runs while every hold is still within its ttl. A hold's expiry is the Reserve's
     * occurred_at + ttl while the check runs on the application's wall clock, so input older than its ttl, replayed
     * in a burst, can have its hold settled as expired by a punctuation that falls between its Reserve and its End:
     * a replay outside the ttl is not deterministic (see the module's report). The idle timeout stays 4 s, so
     * abandoned streams still settle soon.
     */
    private static final long REPLAY_TTL_MS = 60_000;

    private final KafkaStack stack;
    private InProcessApp live;
    private InProcessApp replay;

    ReplayTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void stopApps() {
        Stream.of(live, replay).filter(app -> app != null).forEach(InProcessApp::close);
    }

    @Test
    void a_fresh_application_over_the_same_input_issues_the_same_terminal_commands(
            @TempDir final Path liveState, @TempDir final Path replayState) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment first = ScenarioDeployment.create(stack, "replay-live");
        live = InProcessApp.start(first.meteringSettings(liveState));
        final Workload workload = Workload.mixed("replay", 250, 6, 0, 0, REPLAY_TTL_MS, 7L);
        final ProducerTruth truth;
        final int sent;
        try (EventSender sender = first.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, Duration.ofMillis(200))) {
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(sender.failures()).isEmpty();
            truth = ProducerTruth.of(sender.acknowledged());
            sent = sender.sent();
        }
        final ScenarioDeployment second = ScenarioDeployment.create(stack, "replay-fresh");
        final int copied = TopicCopier.copy(stack.bootstrapServers(), first.topics().name(Topics.STREAM_EVENTS),
                second.topics().name(Topics.STREAM_EVENTS), Duration.ofSeconds(30));
        assertThat(copied).isEqualTo(sent);
        replay = InProcessApp.start(second.meteringSettings(replayState));

        final LedgerCheck.Outcome liveLedger = settle(first, truth, workload);
        final LedgerCheck.Outcome replayLedger = settle(second, truth, workload);
        final List<StreamPlan> ended = workload.ended();
        final Map<String, String> liveTerminals = terminalsOf(liveLedger.snapshot(), ended);
        final Map<String, String> replayTerminals = terminalsOf(replayLedger.snapshot(), ended);
        assertThat(replayTerminals).as("terminal commands and debits of the replay").hasSize(ended.size())
                .containsExactlyInAnyOrderEntriesOf(liveTerminals);

        ScenarioFigures.of("7. replay into a fresh app id", "none; the input copied byte for byte to a fresh prefix"
                + " and application id; terminal commands of the " + ended.size() + " streams ended by an End"
                + " compared", sent + copied, started, Recovery.NOT_APPLICABLE, liveLedger, replayLedger).publish();
    }

    private static LedgerCheck.Outcome settle(final ScenarioDeployment deployment, final ProducerTruth truth,
                                              final Workload workload) {
        return ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                    workload.plans(), false, SETTLE_BOUND);
    }

    /** Per stream, its Commit or Release and any Debits, reduced to what must not differ between runs. */
    private static Map<String, String> terminalsOf(final LedgerSnapshot ledger, final List<StreamPlan> plans) {
        final Trails trails = Trails.of(ledger);
        return plans.stream().map(StreamPlan::reservationId).collect(Collectors.toMap(Function.identity(),
                id -> trails.of(id).commands().stream()
                        .filter(command -> Trails.isTerminal(command) || command.getBody() instanceof Debit)
                        .map(ReplayTest::essence).toList().toString()));
    }

    private static String essence(final BudgetCommand command) {
        final Object body = command.getBody();
        final String amounts;
        if (body instanceof Commit commit) {
            amounts = commit.getActual() + " " + commit.getSettlement() + " " + commit.getMetrics();
        } else if (body instanceof Release release) {
            amounts = release.getReleased() + " " + release.getReason();
        } else {
            final Debit debit = (Debit) body;
            amounts = debit.getActual() + " " + debit.getReason() + " " + debit.getMetrics();
        }
        return command.getCommandId() + " " + command.getIdempotencyKey() + " " + command.getCauseEventId() + " "
                + amounts;
    }
}
