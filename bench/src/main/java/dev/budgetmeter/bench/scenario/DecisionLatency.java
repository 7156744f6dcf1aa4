package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.LedgerUnderTest;
import dev.budgetmeter.bench.load.BenchEvents;
import dev.budgetmeter.bench.load.Pacer;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.DecisionMode;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The budget ledger's decision latency as a worker sees it: a real {@link BudgetMeter} in
 * {@link DecisionMode#OPTIMISTIC} mode (so {@code open} returns at once) opens reservations at a fixed rate, each
 * followed by its End as in the saturation search; each is timed from right before {@code open} to its
 * {@link MeteredStream#decision()} future completing on the meter's decisions thread (a read_committed consumer of
 * the meter's reply partition). Reservations opened during the warm-up are not timed.
 */
final class DecisionLatency {

    private static final String SCOPE = "ledger";
    /** Longer than any decision at half of saturation: one that takes longer counts as missing. */
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String WORKER_ID = "bench-ledger-worker";

    private final LedgerUnderTest ledger;
    private final Profile.Latency settings;
    private final Progress progress;

    DecisionLatency(final LedgerUnderTest ledger, final Profile.Latency settings, final Progress progress) {
        this.ledger = ledger;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Opens reservations at {@code rate} per second, of the tenant {@code tenantOf} names for each reservation number.
     *
     * @param mix      what the tenants are, for progress lines
     * @param fraction of the saturation rate {@code rate} is, for the report
     */
    LatencyResult.AtLoad measure(final String mix, final double fraction, final double rate,
                                 final LongFunction<String> tenantOf) {
        final String name = ledger.app().label() + ", " + mix + ", " + Formats.whole(fraction * 100) + "% load";
        final DecisionTimer timer = new DecisionTimer();
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicLong opened = new AtomicLong();
        try (BudgetMeter meter = meter()) {
            final Runnable open = () -> {
                final String tenant = tenantOf.apply(opened.getAndIncrement());
                final long sentNanos = System.nanoTime();
                final MeteredStream stream = meter.open(reservation(tenant));
                if (measuring.get()) {
                    timer.expect(stream.decision(), sentNanos);
                }
                stream.complete();
            };
            progress.update(SCOPE, name + ": warming up");
            Pacer.run(rate, settings.warmup(), open, count -> { });
            measuring.set(true);
            progress.update(SCOPE, name + ": measuring for " + settings.duration().toMillis() + " ms");
            final long start = System.nanoTime();
            final long sent = Pacer.run(rate, settings.duration(), open, count -> { });
            final double producedRate = sent / ((System.nanoTime() - start) / 1e9);
            measuring.set(false);
            Poll.until(() -> {
                progress.update(SCOPE, name + ": waiting for " + timer.pending() + " decisions");
                return timer.pending() == 0;
            }, DECISION_TIMEOUT.plus(POLL), POLL);
            final LatencyResult.AtLoad load = new LatencyResult.AtLoad(fraction, rate, producedRate,
                    timer.expected(), timer.missing(), timer.millis());
            progress.done(SCOPE, name + " (" + Formats.whole(rate) + " Reserves/s): p50 "
                    + Formats.fixed(load.latency().p50(), 1) + " ms, p99 " + Formats.fixed(load.latency().p99(), 1)
                    + " ms, max " + Formats.fixed(load.latency().max(), 1) + " ms over " + load.streams()
                    + " decisions" + (load.missing() == 0 ? "" : ", " + load.missing() + " missing"));
            return load;
        }
    }

    /** A worker's meter with the library's defaults, but for the ledger's decisions read optimistically. */
    private BudgetMeter meter() {
        return BudgetMeter.builder()
                .bootstrapServers(ledger.stack().bootstrapServers())
                .schemaRegistryUrl(ledger.stack().schemaRegistryUrl())
                .topicPrefix(ledger.topics().prefix())
                .workerId(WORKER_ID)
                .decisions(DecisionMode.OPTIMISTIC)
                .decisionTimeout(DECISION_TIMEOUT)
                .build();
    }

    /** The saturation search's Reserve, through the library: same subject levels, estimate and prices. */
    private static StreamReservation reservation(final String tenant) {
        return StreamReservation.builder()
                .subject(Subject.tenant(tenant).workspace(BenchEvents.WORKSPACE).agent(BenchEvents.AGENT))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(BenchEvents.ESTIMATE))
                .pricing(Pricing.perToken(BenchEvents.INPUT_PRICE, BenchEvents.OUTPUT_PRICE))
                .build();
    }
}
