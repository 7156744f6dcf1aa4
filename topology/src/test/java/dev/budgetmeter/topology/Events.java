package dev.budgetmeter.topology;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.ProducerInfo;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Stream events for tests, with the streaming guide's defaults: gpt-4o prices, $0.01 estimate, 60 s ttl. */
public final class Events {

    public static final long INPUT_PRICE = 250;
    public static final long OUTPUT_PRICE = 1_000;
    public static final long ESTIMATE = 1_000_000;
    public static final long TTL_MS = 60_000;

    private Events() {
    }

    public static Reserve.Builder reserveBody() {
        return Reserve.newBuilder()
                .setIdempotencyKey("key")
                .setSubject(Subject.newBuilder().setTenant("acme").setAgent("streaming-agent").build())
                .setAction(new Action("llm.completion", "gpt-4o", List.of()))
                .setEstimate(new Amount(Unit.USD_MICROCENTS, ESTIMATE))
                .setTtlMs(TTL_MS)
                .setGracePeriodMs(5_000)
                .setOveragePolicy(OveragePolicy.ALLOW_IF_AVAILABLE)
                .setPricing(new Pricing(INPUT_PRICE, OUTPUT_PRICE))
                .setMetadata(Map.of());
    }

    public static StreamEvent reserve(final String id, final long at) {
        return reserve(id, at, body -> { });
    }

    public static StreamEvent reserve(final String id, final long at, final Consumer<Reserve.Builder> customize) {
        final Reserve.Builder body = reserveBody().setIdempotencyKey(id + ":reserve");
        customize.accept(body);
        return event(id, 0, at, body.build());
    }

    public static StreamEvent chunk(final String id, final long seq, final long at, final long tokensOutput) {
        return event(id, seq, at, new Chunk(tokensOutput, 0L, 1));
    }

    public static StreamEvent chunk(final String id, final long seq, final long at, final long tokensOutput,
                                    final long tokensInput) {
        return event(id, seq, at, new Chunk(tokensOutput, tokensInput, 1));
    }

    public static StreamEvent usage(final String id, final long seq, final long at, final long tokensInput,
                                    final long tokensOutput, final Amount actual) {
        return event(id, seq, at, new Usage(tokensInput, tokensOutput, actual, "gpt-4o-2024-08-06", Map.of()));
    }

    public static StreamEvent end(final String id, final long seq, final long at, final Outcome outcome,
                                  final String reason) {
        return event(id, seq, at, new End(outcome, reason));
    }

    public static StreamEvent event(final String id, final long seq, final long at, final Object body) {
        return StreamEvent.newBuilder()
                .setEventId(id + "#" + seq)
                .setReservationId(id)
                .setSeq(seq)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setProducer(new ProducerInfo("worker-1", "test/0"))
                .setBody(body)
                .build();
    }
}
