package dev.budgetmeter.producer.example;

import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A worker that streams LLM answers under a budget the way the Cycles streaming guide does (reserve the worst case,
 * stream, commit the actual cost, release on failure), but with events: nothing here waits on a budget server.
 *
 * <p>Per call: {@code open} writes the Reserve of {@code max_tokens x output price}; each provider chunk is a
 * {@code chunk}; the provider's totals are the {@code usage}; {@code complete} ends it. When the provider breaks off
 * mid-stream, {@code fail(e)} ends it instead, and the topology commits what was streamed and releases the rest. Had
 * the worker crashed, the topology would expire the hold.
 *
 * <p>Run: {@code StreamingWorkerExample [bootstrapServers] [schemaRegistryUrl]}; the stream-events topic must exist.
 */
public final class StreamingWorkerExample {

    /** The guide's gpt-4o-like prices: 250 and 1,000 USD microcents per input and output token. */
    public static final Pricing GPT_4O = Pricing.perToken(250, 1_000);

    private final BudgetMeter meter;

    public StreamingWorkerExample(final BudgetMeter meter) {
        this.meter = meter;
    }

    public static void main(final String[] args) {
        final String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        final String schemaRegistryUrl = args.length > 1 ? args[1] : "http://localhost:8081";
        try (BudgetMeter meter = BudgetMeter.builder()
                .bootstrapServers(bootstrapServers).schemaRegistryUrl(schemaRegistryUrl).build()) {
            final StreamingWorkerExample worker = new StreamingWorkerExample(meter);
            worker.answer("acme", "Summarise the quarterly report.", 500, SimulatedLlm.answering(320)).join();
            worker.answer("acme", "Translate the contract.", 500, SimulatedLlm.breakingAt(400, 120)).join();
            System.out.println("events written to " + meter.topic() + ": " + meter.metrics());
        }
    }

    /**
     * Answers one prompt under a budget.
     *
     * @return completes when every event of the call is written to Kafka
     */
    public CompletableFuture<Void> answer(final String tenant, final String prompt, final long maxTokens,
            final SimulatedLlm llm) {
        try (MeteredStream stream = meter.open(StreamReservation.builder()
                .subject(Subject.tenant(tenant).agent("streaming-agent"))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(maxTokens * GPT_4O.outputTokenPrice()))
                .pricing(GPT_4O)
                .ttl(Duration.ofMinutes(2))
                .build())) {
            try {
                final SimulatedLlm.Result result = llm.stream(prompt, stream.effectiveMaxTokens(maxTokens),
                        stream::chunk);
                stream.usage(result.inputTokens(), result.outputTokens());
                return stream.complete();
            } catch (final RuntimeException streamBroke) {
                return stream.fail(streamBroke);
            }
        }
    }
}
