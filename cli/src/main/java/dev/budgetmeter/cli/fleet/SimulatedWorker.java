package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.BudgetRefusedException;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One LLM worker's streaming call as the producer library sees it, following a {@link StreamPlan}: reserve
 * {@code maxTokens x output price}, stream tokens in paced bursts (one provider chunk per token, prompt tokens with
 * the first), then complete with the provider's totals, fail, cancel, or (abandoned) stop without a word.
 */
final class SimulatedWorker {

    static final String CANCEL_REASON = "user_cancelled";
    /** The provider breaks off mid-answer; one message for all, so their release reasons group in the summary. */
    static final String BROKEN_MESSAGE = "provider connection reset";
    /** The provider refuses the call before the first token. */
    static final String REFUSED_MESSAGE = "provider refused: 429";

    /** Pauses a worker between bursts; {@link Thread#sleep} in a run. */
    @FunctionalInterface
    interface Pacer {
        void pause(long millis) throws InterruptedException;
    }

    private final BudgetMeter meter;
    private final Duration ttl;
    private final Pacer pacer;
    private final LongSupplier nanoClock;
    private final FleetListener listener;

    SimulatedWorker(final BudgetMeter meter, final Duration ttl, final Pacer pacer, final LongSupplier nanoClock,
                    final FleetListener listener) {
        this.meter = meter;
        this.ttl = ttl;
        this.pacer = pacer;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    /**
     * Runs one stream, under the caps of its decision; a refused reservation streams nothing. The meter's other
     * exceptions (Kafka unreachable, no decision in time) propagate.
     */
    void stream(final StreamPlan planned) throws InterruptedException {
        final MeteredStream stream;
        try {
            stream = meter.open(reservation(planned));
        } catch (final BudgetRefusedException refused) {
            listener.refused(planned, refused.decision());
            listener.finished(planned);
            return;
        }
        final StreamPlan plan = planned.cappedAt(stream.effectiveMaxTokens(planned.maxTokens()));
        // Complete at open, except in the optimistic mode, which the fleet does not use.
        listener.opened(plan, stream.decision().join());
        long sent = 0;
        while (sent < plan.streamedTokens()) {
            final long burst = Math.min(plan.tokensPerTick(), plan.streamedTokens() - sent);
            for (long i = 0; i < burst; i++) {
                stream.chunk(1, sent == 0 ? plan.inputTokens() : 0);
                sent++;
            }
            pacer.pause(plan.tickMillis());
        }
        end(plan, stream);
    }

    private void end(final StreamPlan plan, final MeteredStream stream) {
        switch (plan.ending()) {
            case COMPLETED -> {
                stream.usage(plan.inputTokens(), plan.answerTokens());
                listener.endSent(plan, nanoClock.getAsLong());
                stream.complete();
            }
            case FAILED -> {
                listener.endSent(plan, nanoClock.getAsLong());
                stream.fail(new IllegalStateException(plan.streamedTokens() == 0 ? REFUSED_MESSAGE
                        : BROKEN_MESSAGE));
            }
            case CANCELLED -> {
                listener.endSent(plan, nanoClock.getAsLong());
                stream.cancel(CANCEL_REASON);
            }
            case ABANDONED -> {
                // The worker died: no End. The stream stays open in the meter until the meter closes.
            }
        }
        listener.finished(plan);
    }

    private StreamReservation reservation(final StreamPlan plan) {
        return StreamReservation.builder()
                .reservationId(plan.reservationId())
                .subject(Subject.tenant(plan.tenant()).workspace(FleetPlanner.WORKSPACE).agent("streaming-agent"))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(plan.estimate(FleetPlanner.PRICING)))
                .pricing(FleetPlanner.PRICING)
                .ttl(ttl)
                .metadata("long", String.valueOf(plan.longStream()))
                .build();
    }
}
