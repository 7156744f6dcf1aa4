package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.HoldLapses;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.check.TokenConservation;
import dev.budgetmeter.reliability.check.Trails;
import dev.budgetmeter.reliability.support.ChildApp;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.HardKill;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.HoldLapse;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.Settlement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: a hold shorter than the outage. A worker streams one reservation with a 4 s ttl; the application, in its
 * own JVM, is killed with SIGKILL right after the worker's 4th chunk (1 s in, before the first extend is due, its
 * Reserve applied) and started again at once on the same state directory with the same {@code group.instance.id},
 * while the worker streams on through the outage and ends COMPLETED about 2 s after the kill: before the restarted
 * instance can be back (a JVM and Kafka Streams start take longer), so its whole backlog, End included, waits for it.
 * On a loaded machine the kill waits until the app has applied the Reserve (its active gauge says so).
 *
 * <p>Judged from the topics alone, the ledger must show one of two outcomes, whichever the timing gave:
 * <ul>
 *   <li>the restarted application was back before the hold expired: it extended the hold after the restart, and the
 *       End's one Commit charges exactly the usage, with no Debit;</li>
 *   <li>it was not: the hold lapsed, as {@link HoldLapses} checks (no Commit and no Release, exactly one HOLD_LAPSED
 *       audit record with its lapse, Debits with reason {@code hold_lapsed}), and the Debits charge exactly the
 *       usage. How many there are is timing, not a rule: usage read after the lapse waits at most the late-usage
 *       interval or until the End, and a restarted task reads its backlog in as many polls as the machine gives it.</li>
 * </ul>
 * Plus the cli's oracle and token conservation against what the broker acknowledged. Recovery, from the kill to the
 * restarted instance's first output for the stream's partition, must beat Kafka's default session timeout (45 s): the
 * proof that static membership worked. Its figure is reported, not bounded tighter.
 */
@WithKafkaStack
class ShortHoldAppKilledTest {

    private static final Duration READY_BOUND = Duration.ofSeconds(90);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofMillis(250);
    private static final long HOLD_TTL_MS = 4_000;
    /**
     * No grace, so the deadline of an Extend (the expiry) and of a Commit or Release (expiry + grace) are the same
     * instant and the two outcomes above are all there is. With the protocol's default 5 s, a restart landing between
     * the expiry and the end of the grace, 3 to 8 s after the kill here (the likeliest range), could settle the hold
     * within the grace instead: a timer's Commit of the usage so far, the rest as Debits after it, a third outcome.
     */
    private static final long GRACE_MS = 0;
    private static final int CHUNKS_BEFORE_KILL = 4;
    /** Eight more chunks after the 4th, one per tick, then the End: the stream is over about 2 s after the kill. */
    private static final int CHUNKS = CHUNKS_BEFORE_KILL + 8;

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final KafkaStack stack;

    ShortHoldAppKilledTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void a_hold_expiring_while_the_app_is_killed_is_extended_after_the_restart_or_lapses_into_debits(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "lapse");
        final Map<String, Object> settings = deployment.meteringSettings(stateDir);
        final Duration session = ScenarioDeployment.sessionTimeout(settings);
        final ChildApp first = children.start("lapse", "app", settings).awaitReady(READY_BOUND);
        final Workload workload = Workload.mixed("lapse", 0, 1, 1, CHUNKS, HOLD_TTL_MS, 8L)
                .withGracePeriod(GRACE_MS);
        final StreamPlan stream = workload.plans().get(0);
        final LedgerReader reader = deployment.ledgerReader();
        final HardKill.Aimed aimed = HardKill.aim(first, deployment);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, TICK)) {
            await("the worker's chunk " + CHUNKS_BEFORE_KILL + " sent and its Reserve applied")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> load.ticks() > CHUNKS_BEFORE_KILL && first.activeReservations() == 1);
            sender.flush();
            final HardKill.At kill = aimed.fire(first.activeReservations(), load.ticks());
            assertThat(kill.liveReservations()).as("the app held the reservation when it was killed").isEqualTo(1);
            final ChildApp restarted = children.start("lapse", "app-restarted", settings);
            load.awaitFinished(Duration.ofSeconds(60));
            restarted.awaitReady(READY_BOUND);
            assertThat(sender.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
            final long usage = truth.billedTokens(stream.reservationId()).price();
            final long killedAt = kill.fault().atMs();
            final LedgerCheck.Outcome outcome = new LedgerCheck(reader, truth.expectations(),
                    snapshot -> Stream.of(TokenConservation.problems(snapshot, truth),
                            holdProblems(trailOf(snapshot, stream), usage, killedAt))
                            .flatMap(List::stream).toList()).awaitHolds(SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();

            final Recovery recovery = kill.fault().narrowedTo(List.of(stream.reservationId()))
                    .measure(outcome.snapshot());
            recovery.assertWithinSessionTimeout(session);
            ScenarioFigures.of("8. app killed during a 4 s hold, restarted at once", String.format(Locale.ROOT,
                    "SIGKILL of the app holding a %d s hold (grace %d s) at the worker's tick %d of %d (chunk %d"
                            + " at the earliest); restarted at once (same group.instance.id and state dir, session"
                            + " timeout %d s); the worker streamed on and completed: %s", HOLD_TTL_MS / 1000,
                    GRACE_MS / 1000, kill.tick(), CHUNKS + 1, CHUNKS_BEFORE_KILL, session.toSeconds(),
                    whatHappened(trailOf(outcome.snapshot(), stream), killedAt)),
                    sender.sent(), started, recovery, outcome).publish();
        }
    }

    private static ReservationTrail trailOf(final LedgerSnapshot snapshot, final StreamPlan stream) {
        return Trails.of(snapshot).of(stream.reservationId());
    }

    /** Nothing when the trail shows one of the two outcomes; otherwise what is wrong with it. */
    private static List<String> holdProblems(final ReservationTrail trail, final long usage, final long killedAt) {
        return HoldLapses.lapsed(trail) ? lapsedProblems(trail, usage) : extendedProblems(trail, usage, killedAt);
    }

    private static List<String> extendedProblems(final ReservationTrail trail, final long usage,
                                                 final long killedAt) {
        final List<String> problems = new ArrayList<>();
        if (extendsAfter(trail, killedAt) == 0) {
            problems.add("no HOLD_LAPSED audit record, yet no Extend after the restart either: the hold ran out"
                    + " while the app was down; " + story(trail, killedAt));
        }
        final List<BudgetCommand> terminals = trail.terminals();
        if (terminals.size() != 1 || !(terminals.get(0).getBody() instanceof Commit commit)
                || commit.getSettlement() != Settlement.COMPLETED) {
            problems.add("expected one Commit(COMPLETED) at the End, got " + describe(trail, terminals, killedAt));
        } else if (commit.getActual().getAmount() != usage) {
            problems.add("the Commit charges " + commit.getActual().getAmount() + ", the usage is " + usage);
        }
        if (!trail.debitCommands().isEmpty()) {
            problems.add("Debits " + describe(trail, trail.debitCommands(), killedAt) + " beside a hold that was kept"
                    + " alive: its Commit must charge everything");
        }
        return problems;
    }

    private static List<String> lapsedProblems(final ReservationTrail trail, final long usage) {
        final List<String> problems = new ArrayList<>(HoldLapses.problems(trail));
        final long debited = trail.debitCommands().stream()
                .mapToLong(command -> ((Debit) command.getBody()).getActual().getAmount()).sum();
        if (debited != usage) {
            problems.add(trail.debitCommands().size() + " Debits charge " + debited + ", the usage is " + usage);
        }
        if (trail.debitCommands().isEmpty()) {
            problems.add("the hold lapsed with usage of " + usage + " but no Debit charges it");
        }
        return problems;
    }

    private static long extendsAfter(final ReservationTrail trail, final long killedAt) {
        return trail.extendCommands().stream().filter(command -> command.getIssuedAt().toEpochMilli() >= killedAt)
                .count();
    }

    /** When the hold ran out, when the restarted app first wrote for it, and the commands, relative to the kill. */
    private static String story(final ReservationTrail trail, final long killedAt) {
        final ReservationSnapshot reserved = trail.audits(AuditKind.RESERVED).stream().findFirst()
                .map(AuditRecord::getSnapshot).orElse(null);
        final String hold = reserved == null ? "no RESERVED audit record"
                : String.format(Locale.ROOT, "the hold's first deadline (expires_at + grace) was %+d ms from the kill",
                reserved.getExpiresAtMs() + reserved.getGracePeriodMs() - killedAt);
        final String back = trail.audits().stream().mapToLong(audit -> audit.getAt().toEpochMilli())
                .filter(at -> at >= killedAt).min()
                .stream().mapToObj(at -> String.format(Locale.ROOT, "the restarted app first wrote for it at %+d ms",
                        at - killedAt)).findFirst().orElse("the restarted app wrote nothing for it");
        return hold + "; " + back + "; commands: " + describe(trail, trail.commands(), killedAt);
    }

    /**
     * Each command (the first few) with when it was issued relative to the kill and, for a settlement or a Debit, to
     * its hold's deadline ({@code expires_at + grace}) at the time.
     */
    private static String describe(final ReservationTrail trail, final List<BudgetCommand> commands,
                                   final long killedAt) {
        final int shown = 6;
        return commands.stream().limit(shown).map(command -> {
            final long issued = command.getIssuedAt().toEpochMilli();
            final Object body = command.getBody();
            if (body instanceof Extend extend) {
                return String.format(Locale.ROOT, "%s at %+d ms from the kill, to an expiry %+d ms from the kill",
                        command.getIdempotencyKey(), issued - killedAt, extend.getNewExpiresAtMs() - killedAt);
            }
            final String what = body instanceof Commit commit
                    ? "Commit(" + commit.getSettlement() + ", cause " + commit.getCause() + ")"
                    : body instanceof Release release ? "Release(" + release.getReason() + ", cause "
                    + release.getCause() + ")" : "Debit(" + ((Debit) body).getReason() + ")";
            final String deadline = trail.auditOf(command.getCommandId()).map(AuditRecord::getSnapshot)
                    .map(snapshot -> String.format(Locale.ROOT, ", %+d ms from its hold's deadline",
                            issued - snapshot.getExpiresAtMs() - snapshot.getGracePeriodMs()))
                    .orElse("");
            return String.format(Locale.ROOT, "%s %s at %+d ms from the kill%s", command.getIdempotencyKey(), what,
                    issued - killedAt, deadline);
        }).toList() + (commands.size() > shown ? " and " + (commands.size() - shown) + " more" : "");
    }

    /** For the figures: which outcome the run gave. */
    private static String whatHappened(final ReservationTrail trail, final long killedAt) {
        final List<AuditRecord> lapses = trail.audits(AuditKind.HOLD_LAPSED);
        if (lapses.isEmpty()) {
            return String.format(Locale.ROOT, "back before the hold expired, extended %d times after the restart,"
                    + " one Commit of the whole usage", extendsAfter(trail, killedAt));
        }
        final HoldLapse lapse = lapses.get(0).getSnapshot().getLapse();
        return String.format(Locale.ROOT, "the hold lapsed (found %.1f s after its deadline): one HOLD_LAPSED, no"
                        + " Commit or Release, the usage charged by %d Debits",
                (lapse.getDetectedAtMs() - lapse.getDeadlineMs()) / 1000.0, trail.debitCommands().size());
    }
}
