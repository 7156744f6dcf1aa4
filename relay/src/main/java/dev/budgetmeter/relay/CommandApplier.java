package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.AnswerKind;
import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Extend;
import java.time.Clock;
import java.time.Duration;

/**
 * Applies one command to the Cycles server, by the protocol's response table:
 *
 * <table>
 *   <caption>answer to what the command becomes</caption>
 *   <tr><th>answer</th><th>outcome</th></tr>
 *   <tr><td>the success (200, 201 for events) with a valid body, first or same-key replay</td><td>APPLIED</td></tr>
 *   <tr><td>409 RESERVATION_FINALIZED to a commit or release</td><td>SETTLED_ELSEWHERE: never released
 *       then</td></tr>
 *   <tr><td>410 to a commit</td><td>the same actual and metrics as {@code POST /v1/events} under the same key:
 *       RECOVERED_AS_EVENT</td></tr>
 *   <tr><td>410 to a release</td><td>EXPIRED_AT_AUTHORITY: done, the server returned the hold</td></tr>
 *   <tr><td>410, 404, 409 FINALIZED, MAX_EXTENSIONS_EXCEEDED, TENANT_CLOSED to an extend</td>
 *       <td>EXTEND_REFUSED</td></tr>
 *   <tr><td>409 IDEMPOTENCY_MISMATCH</td><td>IDEMPOTENCY_MISMATCH: alerted and dead-lettered, the key never
 *       changed</td></tr>
 *   <tr><td>400, 403, 404, other 409 (BUDGET_EXCEEDED, OVERDRAFT_LIMIT_EXCEEDED, TENANT_CLOSED...)</td>
 *       <td>DEAD_LETTERED with the answer</td></tr>
 *   <tr><td>401; 429; 5xx, no answer, a malformed 2xx</td><td>kept and sent again unchanged (see
 *       {@link RelayRetryPolicy}), so these never end a command</td></tr>
 * </table>
 *
 * A direct-debit event (a Debit, or a commit's recovery) whose command was issued longer ago than the server keeps
 * event idempotency keys is never sent blind: the server may have forgotten the key of a first attempt, so sending
 * it could charge twice; it is dead-lettered with that reason instead.
 */
final class CommandApplier {

    /** How long the reference server keeps the idempotency keys of events. */
    static final Duration DEFAULT_EVENT_KEY_WINDOW = Duration.ofDays(7);
    static final String BEYOND_WINDOW = "BEYOND_IDEMPOTENCY_WINDOW";

    private final RetryLoop loop;
    private final RetryLoop.Policy policy;
    private final RetryLoop.Listener listener;
    private final Clock clock;
    private final Duration eventKeyWindow;

    CommandApplier(final RetryLoop loop, final RetryLoop.Policy policy, final RetryLoop.Listener listener,
                   final Clock clock, final Duration eventKeyWindow) {
        this.loop = loop;
        this.policy = policy;
        this.listener = listener;
        this.clock = clock;
        this.eventKeyWindow = eventKeyWindow;
    }

    /**
     * Applies the command until it has a final answer; retries never end on their own.
     *
     * @throws InterruptedException when the relay stops meanwhile: the command is not done and will be read again
     */
    Applied apply(final BudgetCommand command) throws InterruptedException {
        if (command.getBody() instanceof Debit && beyondEventWindow(command)) {
            return notSent(command);
        }
        final RetryLoop.Attempt answer = send(CommandRequests.of(command));
        final AnswerKind kind = answer.kind();
        if (kind == AnswerKind.SUCCESS) {
            return applied(command, CommandOutcome.APPLIED, answer, answer.number(), null);
        }
        if (kind == AnswerKind.IDEMPOTENCY_MISMATCH) {
            return applied(command, CommandOutcome.IDEMPOTENCY_MISMATCH, answer, answer.number(),
                    DeadLetterReason.IDEMPOTENCY_MISMATCH);
        }
        final Object body = command.getBody();
        if (body instanceof Extend) {
            return extendRefused(kind) ? applied(command, CommandOutcome.EXTEND_REFUSED, answer, answer.number(), null)
                    : refused(command, answer, answer.number());
        }
        if (kind == AnswerKind.FINALIZED && !(body instanceof Debit)) {
            return applied(command, CommandOutcome.SETTLED_ELSEWHERE, answer, answer.number(), null);
        }
        if (kind == AnswerKind.EXPIRED && body instanceof Commit) {
            return recoverAsEvent(command, answer.number());
        }
        if (kind == AnswerKind.EXPIRED && !(body instanceof Debit)) {
            return applied(command, CommandOutcome.EXPIRED_AT_AUTHORITY, answer, answer.number(), null);
        }
        return refused(command, answer, answer.number());
    }

    /** 410 on a commit: the same spend as an event under the same key, unless too old to send safely. */
    private Applied recoverAsEvent(final BudgetCommand command, final int commitAttempts) throws InterruptedException {
        if (beyondEventWindow(command)) {
            return notSent(command);
        }
        final RetryLoop.Attempt answer = send(CommandRequests.recoveryEvent(command));
        final int attempts = commitAttempts + answer.number();
        return switch (answer.kind()) {
            case SUCCESS -> applied(command, CommandOutcome.RECOVERED_AS_EVENT, answer, attempts, null);
            case IDEMPOTENCY_MISMATCH -> applied(command, CommandOutcome.IDEMPOTENCY_MISMATCH, answer, attempts,
                    DeadLetterReason.IDEMPOTENCY_MISMATCH);
            default -> refused(command, answer, attempts);
        };
    }

    private static boolean extendRefused(final AnswerKind kind) {
        return kind == AnswerKind.EXPIRED || kind == AnswerKind.NOT_FOUND || kind == AnswerKind.FINALIZED
                || kind == AnswerKind.MAX_EXTENSIONS || kind == AnswerKind.TENANT_CLOSED;
    }

    private boolean beyondEventWindow(final BudgetCommand command) {
        return command.getIssuedAt().toEpochMilli() + eventKeyWindow.toMillis() < clock.millis();
    }

    private Applied notSent(final BudgetCommand command) {
        return new Applied(ResultFactory.notSent(command, BEYOND_WINDOW, "issued at " + command.getIssuedAt()
                + ", longer ago than the authority keeps event idempotency keys (" + eventKeyWindow + "): sending it"
                + " could charge twice", clock.millis()), DeadLetterReason.BEYOND_IDEMPOTENCY_WINDOW);
    }

    private Applied refused(final BudgetCommand command, final RetryLoop.Attempt answer, final int attempts) {
        return applied(command, CommandOutcome.DEAD_LETTERED, answer, attempts, DeadLetterReason.AUTHORITY_REFUSED);
    }

    private Applied applied(final BudgetCommand command, final CommandOutcome outcome, final RetryLoop.Attempt answer,
                            final int attempts, final DeadLetterReason deadLetter) {
        return new Applied(ResultFactory.of(command, outcome, answer, attempts, clock.millis()), deadLetter);
    }

    /** Sends until final; retries are endless, so the last attempt always has an answer. */
    private RetryLoop.Attempt send(final CyclesRequest request) throws InterruptedException {
        return loop.send(request, policy, listener, System.nanoTime() + Long.MAX_VALUE / 4).last();
    }
}
