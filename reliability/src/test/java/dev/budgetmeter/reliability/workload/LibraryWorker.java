package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays stream plans through the real worker library ({@code producer-lib}): opens each reservation on a
 * {@link BudgetMeter}, reports its chunks and provider totals, and ends it as planned. Abandoned plans cannot be
 * played (the library always ends a stream it closes), and failed or cancelled plans only when they have billable
 * output (the library words the End's reason itself). The truth is what the library confirmed: a stream whose
 * terminal future completed had every event acknowledged.
 */
public final class LibraryWorker {

    private final BudgetMeter meter;

    public LibraryWorker(final BudgetMeter meter) {
        this.meter = meter;
    }

    /** Whether the library can play this plan with a known planned terminal. */
    public static boolean playable(final StreamPlan plan) {
        return plan.ending() == Ending.COMPLETED
                || (plan.ending() != Ending.ABANDONED && plan.billedTokens().billable());
    }

    /** The reservation a plan opens: the workload's subject, action, estimate, pricing and ttl. */
    public static StreamReservation reservation(final StreamPlan plan) {
        return StreamReservation.builder()
                .reservationId(plan.reservationId())
                .subject(Subject.tenant(StreamEvents.TENANT).workspace(StreamEvents.WORKSPACE))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(plan.estimate()))
                .pricing(Pricing.perToken(StreamEvents.INPUT_PRICE, StreamEvents.OUTPUT_PRICE))
                .ttl(Duration.ofMillis(plan.ttlMs()))
                .build();
    }

    /**
     * Plays every plan, then waits for each stream's terminal future.
     *
     * @return the billable tokens of each stream the library confirmed delivered
     * @throws IllegalStateException when a stream was not delivered within {@code bound}
     */
    public Map<String, Tokens> play(final List<StreamPlan> plans, final Duration bound)
            throws InterruptedException {
        final Map<String, CompletableFuture<Void>> ends = new LinkedHashMap<>();
        for (final StreamPlan plan : plans) {
            ends.put(plan.reservationId(), play(plan));
        }
        final Map<String, Tokens> delivered = new LinkedHashMap<>();
        for (final StreamPlan plan : plans) {
            try {
                ends.get(plan.reservationId()).get(bound.toMillis(), TimeUnit.MILLISECONDS);
                delivered.put(plan.reservationId(), plan.billedTokens());
            } catch (final ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the library did not deliver " + plan.reservationId(), e);
            }
        }
        return delivered;
    }

    private CompletableFuture<Void> play(final StreamPlan plan) {
        if (!playable(plan)) {
            throw new IllegalArgumentException("the library cannot play " + plan);
        }
        final MeteredStream stream = meter.open(reservation(plan));
        plan.chunks().forEach(tokens -> stream.chunk(tokens.output(), tokens.input()));
        plan.usage().ifPresent(totals -> stream.usage(totals.input(), totals.output()));
        return switch (plan.ending()) {
            case COMPLETED -> stream.complete();
            case FAILED -> stream.fail(new IllegalStateException(StreamPlan.FAILURE_REASON));
            case CANCELLED -> stream.cancel("user_cancelled");
            case ABANDONED -> throw new IllegalArgumentException("abandoned streams are not playable");
        };
    }
}
