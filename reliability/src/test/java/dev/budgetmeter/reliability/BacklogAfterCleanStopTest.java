package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.check.Trails;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.SettlementCause;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 9: a backlog of live streams. The application sees every stream open, then is stopped cleanly while the
 * workers go on: live streams keep sending an event every {@link #TICK} for more than three idle timeouts, some
 * streams go idle (their Reserve and one chunk, then nothing; half of them open only during the stop), and all of it
 * waits unread. Then the application starts again, same state directory and {@code group.instance.id}, and works
 * through the backlog.
 *
 * <p>A live stream is not idle because its events wait in a backlog: none is settled before its End (no Commit or
 * Release but its End's, so no {@code idle_timeout}, and no Debit), while the idle ones are settled by the idle
 * timeout (cause IDLE_TIMEOUT) once the application has caught up; the oracle and token conservation pass. Holds
 * are long ({@link #TTL_MS}) so that no hold lapses during the stop: this scenario is about idle timeouts only.
 * Recovery is timed from the restart; it must beat the session timeout (a cleanly closed Kafka Streams client stays
 * in the group, so only static membership lets the restarted one in at once).
 */
@WithKafkaStack
class BacklogAfterCleanStopTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(60);
    /** Every live stream sends an event this often, so none is ever silent for an idle timeout. */
    private static final Duration TICK = Duration.ofMillis(500);
    /** Far longer than the stop: no hold expires, so only the idle timeout could settle a stream early. */
    private static final long TTL_MS = 60_000;
    private static final int LIVE_STREAMS = 40;
    /** 15 s of chunks; the stop covers all but the first ones. */
    private static final int LIVE_CHUNKS = 30;
    private static final int IDLE_STREAMS = 10;
    /** When the idle streams the application never saw before its stop open: well after the stop. */
    private static final int UNSEEN_IDLE_TICK = 14;
    private static final Duration IDLE_TIMEOUTS_STOPPED = Duration.ofMillis(3 * ScenarioDeployment.IDLE_TIMEOUT_MS);

    private final KafkaStack stack;
    @AutoClose
    private InProcessApp app;

    BacklogAfterCleanStopTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void live_streams_waiting_in_a_backlog_are_not_settled_as_idle_and_idle_ones_are(@TempDir final Path stateDir)
            throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "backlog");
        final Map<String, Object> settings = deployment.meteringSettings(stateDir);
        app = InProcessApp.start(settings);
        final Workload live = Workload.mixed("backlog", 0, 1, LIVE_STREAMS, LIVE_CHUNKS, TTL_MS, 9L);
        final Workload idleSeen = Workload.idle("backlog-seen", IDLE_STREAMS, 0, TTL_MS, 19L);
        final Workload idleUnseen = Workload.idle("backlog-unseen", IDLE_STREAMS, UNSEEN_IDLE_TICK, TTL_MS, 29L);
        final Workload workload = live.and(idleSeen).and(idleUnseen);
        final LedgerReader reader = deployment.ledgerReader();

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, TICK)) {
            await("first chunks sent").atMost(Duration.ofSeconds(20)).until(() -> load.ticks() >= 2);
            sender.flush();
            final Set<String> open = live.and(idleSeen).plans().stream().map(StreamPlan::reservationId)
                    .collect(Collectors.toSet());
            await("the app applied the first chunk of every open stream").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250)).until(() -> chunked(reader.readAll()).containsAll(open));
            // The backlog starts when closing does: the app processes nothing more from then on, and on a loaded
            // machine closing takes seconds of the stop.
            final long stoppedAt = System.nanoTime();
            app.close();
            assertThat(load.ticks()).as("the unseen idle streams open during the stop").isLessThan(UNSEEN_IDLE_TICK);
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(sender.failures()).isEmpty();
            final Duration stopped = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertThat(stopped).as("the backlog spans three idle timeouts").isGreaterThan(IDLE_TIMEOUTS_STOPPED);

            final Recovery.Fault restart = Recovery.Fault.onEveryPartition("the restart",
                    deployment.inputPartitions());
            app = InProcessApp.start(settings);
            final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
            final LedgerCheck.Outcome outcome = new LedgerCheck(reader, truth.expectations(),
                    snapshot -> Stream.of(ScenarioChecks.spendAndTerminals(snapshot, truth, workload.plans(), false),
                            backlogProblems(snapshot, live, idleSeen.and(idleUnseen)))
                            .flatMap(List::stream).toList()).awaitHolds(SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();

            final Recovery recovery = restart.measure(outcome.snapshot());
            recovery.assertWithinSessionTimeout(ScenarioDeployment.sessionTimeout(settings));
            ScenarioFigures.of("9. backlog of live streams after a clean stop", String.format(Locale.ROOT,
                    "app stopped cleanly %.1f s (%.1f idle timeouts) while %d live streams sent an event every"
                            + " %.1f s and %d went idle (%d opened during the stop); restarted on the same state dir"
                            + " and group.instance.id", stopped.toMillis() / 1000.0,
                    (double) stopped.toMillis() / ScenarioDeployment.IDLE_TIMEOUT_MS, live.size(),
                    TICK.toMillis() / 1000.0, 2 * IDLE_STREAMS, IDLE_STREAMS),
                    sender.sent(), started, recovery, outcome).publish();
        }
    }

    /**
     * Reservations with at least one chunk applied and audited: chunks are audited per punctuation interval (or at a
     * transition), so this is at most an interval after the chunk.
     */
    private static Set<String> chunked(final LedgerSnapshot snapshot) {
        return snapshot.audits().stream()
                .filter(audit -> audit.getSnapshot() != null && audit.getSnapshot().getChunks() > 0)
                .map(AuditRecord::getReservationId).collect(Collectors.toSet());
    }

    /**
     * Beyond each stream's planned terminal (checked with no timer settlement allowed): no live stream is debited,
     * which it would be had a timer settled it before the rest of its usage; every idle one is settled with cause
     * IDLE_TIMEOUT.
     */
    private static List<String> backlogProblems(final LedgerSnapshot snapshot, final Workload live,
                                                final Workload idle) {
        final Trails trails = Trails.of(snapshot);
        final List<String> problems = new ArrayList<>();
        for (final StreamPlan plan : live.plans()) {
            final List<BudgetCommand> debits = trails.of(plan.reservationId()).debitCommands();
            if (!debits.isEmpty()) {
                problems.add(plan.reservationId() + ": live stream debited " + debits.stream()
                        .map(BudgetCommand::getIdempotencyKey).toList() + ", so it was settled before its End");
            }
        }
        for (final StreamPlan plan : idle.plans()) {
            final ReservationTrail trail = trails.of(plan.reservationId());
            trail.terminals().stream().findFirst()
                    .flatMap(terminal -> trail.auditOf(terminal.getCommandId()))
                    .map(AuditRecord::getSnapshot)
                    .filter(settled -> settled.getSettlementCause() != SettlementCause.IDLE_TIMEOUT)
                    .ifPresent(settled -> problems.add(plan.reservationId() + ": idle stream settled with cause "
                            + settled.getSettlementCause() + ", not IDLE_TIMEOUT"));
        }
        return problems;
    }
}
