package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.Backoff;
import dev.budgetmeter.cycles.RetryLoop;
import java.time.Duration;
import java.util.Optional;

/**
 * When the relay sends a command again, always unchanged: no answer, a 5xx or an ambiguous 2xx after a capped
 * exponential backoff; a 429 after its {@code Retry-After} (the backoff when it gave none); a 401 after the
 * credentials pause, so the command is kept until the key is fixed. Every other answer is final.
 *
 * @param backoff    the backoff of ambiguous outcomes
 * @param authPause  the wait after a 401
 */
record RelayRetryPolicy(Backoff backoff, Duration authPause) implements RetryLoop.Policy {

    @Override
    public Optional<Duration> retryAfter(final RetryLoop.Attempt attempt) {
        if (!attempt.answered()) {
            return Optional.of(backoff.delay(attempt.number()));
        }
        return switch (attempt.kind()) {
            case AMBIGUOUS -> Optional.of(backoff.delay(attempt.number()));
            case THROTTLED -> Optional.of(attempt.response().retryAfter().orElseGet(() ->
                    backoff.delay(attempt.number())));
            case UNAUTHORIZED -> Optional.of(authPause);
            default -> Optional.empty();
        };
    }
}
