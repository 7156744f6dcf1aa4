package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.schemas.CommandResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's metrics, in the Prometheus text format at {@code /metrics}, and its log of retries: every attempt that
 * is not final says which command of which reservation, what came back and when it is sent again (so a heartbeat
 * failure is visible with its reservation and disposition), and every alert is an ERROR line and a counter.
 *
 * <ul>
 *   <li>{@code relay_commands_total{kind,outcome,error_code}}: commands finished, by what became of them;</li>
 *   <li>{@code relay_requests_seconds{operation,status}}: each request's latency (a timer, with count);</li>
 *   <li>{@code relay_retries_total{operation,reason}}: requests sent again;</li>
 *   <li>{@code relay_alerts_total{reason}}: IDEMPOTENCY_MISMATCH and commands dead-lettered;</li>
 *   <li>{@code relay_in_flight}: commands being applied now;</li>
 *   <li>{@code relay_lag_records}: commands written but not yet committed by the relay's group;</li>
 *   <li>{@code relay_command_latency_seconds}: from the topology issuing a command to its result written.</li>
 * </ul>
 */
final class RelayMetrics implements RetryLoop.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RelayMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong(-1);
    private final Timer commandLatency;

    RelayMetrics() {
        Gauge.builder("relay_in_flight", inFlight, AtomicInteger::get).description("commands being applied now")
                .register(registry);
        Gauge.builder("relay_lag_records", lag, AtomicLong::get)
                .description("commands not yet committed by the relay's group; -1 until first measured")
                .register(registry);
        commandLatency = Timer.builder("relay_command_latency").description(
                "from the topology issuing a command to its result written").publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Prometheus text. */
    String scrape() {
        return registry.scrape();
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    void lag(final long records) {
        lag.set(records);
    }

    /** A command's result was written. */
    void result(final CommandResult result, final Instant writtenAt) {
        Counter.builder("relay_commands").description("commands finished").tag("kind", result.getKind().name())
                .tag("outcome", result.getOutcome().name())
                .tag("error_code", result.getErrorCode() == null ? "" : result.getErrorCode())
                .register(registry).increment();
        commandLatency.record(Duration.between(result.getIssuedAt(), writtenAt).abs());
        switch (result.getOutcome()) {
            case IDEMPOTENCY_MISMATCH -> alert("IDEMPOTENCY_MISMATCH", result);
            case DEAD_LETTERED -> alert("DEAD_LETTERED", result);
            default -> { }
        }
    }

    @Override
    public void attempted(final CyclesRequest request, final RetryLoop.Attempt attempt,
                          final Optional<Duration> retryIn) {
        final String operation = request.operation().name().toLowerCase(Locale.ROOT);
        if (attempt.answered()) {
            Timer.builder("relay_requests").description("requests to the Cycles server")
                    .tag("operation", operation).tag("status", String.valueOf(attempt.response().status()))
                    .register(registry).record(attempt.response().latency());
        }
        if (retryIn.isEmpty()) {
            return;
        }
        final String reason = attempt.answered() ? attempt.kind().name() : "NO_ANSWER";
        Counter.builder("relay_retries").description("requests sent again under the same key")
                .tag("operation", operation).tag("reason", reason).register(registry).increment();
        LOG.warn("{} of reservation {} (attempt {}): {}; sending it again under the same key in {} ms", operation,
                request.reservationId(), attempt.number(), attempt.summary(), retryIn.get().toMillis());
    }

    private void alert(final String reason, final CommandResult result) {
        Counter.builder("relay_alerts").description("commands that need an operator").tag("reason", reason)
                .register(registry).increment();
        LOG.error("ALERT {}: command {} of reservation {}: HTTP {} {} {}", reason, result.getCommandId(),
                result.getReservationId(), result.getHttpStatus(), result.getErrorCode(), result.getMessage());
    }
}
