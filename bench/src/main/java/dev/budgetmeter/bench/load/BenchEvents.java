package dev.budgetmeter.bench.load;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The events of simulated streams, shaped like a worker's: the streaming guide's gpt-4o prices, a $0.01 estimate,
 * chunks of a few tokens, provider totals, then End(COMPLETED). Event ids are {@code <reservation>#<seq>}.
 */
public final class BenchEvents {

    /** Price of an input token, USD microcents (gpt-4o's). */
    public static final long INPUT_PRICE = 250;
    /** Price of an output token, USD microcents. */
    public static final long OUTPUT_PRICE = 1_000;
    /** The estimate every Reserve holds, USD microcents ($0.01). */
    public static final long ESTIMATE = 1_000_000;
    static final long INPUT_TOKENS = 40;
    static final long TOKENS_PER_CHUNK = 12;
    /** The tenant of every Reserve unless a stream shape names another. */
    public static final String DEFAULT_TENANT = "acme";
    /** The workspace and agent of every Reserve's subject. */
    public static final String WORKSPACE = "prod";
    public static final String AGENT = "bench-agent";
    static final ProducerInfo PRODUCER = new ProducerInfo("bench-worker-1", "budget-meter-bench/0.1.0");

    private BenchEvents() {
    }

    /** The Reserve (seq 0) of the default tenant; {@code expiresAtMs} null means occurred_at + ttl. */
    public static StreamEvent reserve(final String id, final long at, final Duration ttl, final Long expiresAtMs) {
        return reserve(id, DEFAULT_TENANT, at, ttl, expiresAtMs);
    }

    /** The Reserve (seq 0) of {@code tenant}'s workspace {@code prod}; {@code expiresAtMs} null means at + ttl. */
    public static StreamEvent reserve(final String id, final String tenant, final long at, final Duration ttl,
                                      final Long expiresAtMs) {
        final Reserve body = Reserve.newBuilder()
                .setIdempotencyKey(id + ":reserve")
                .setSubject(Subject.newBuilder().setTenant(tenant).setWorkspace(WORKSPACE).setAgent(AGENT).build())
                .setAction(new Action("llm.completion", "gpt-4o", List.of()))
                .setEstimate(new Amount(Unit.USD_MICROCENTS, ESTIMATE))
                .setTtlMs(ttl.toMillis())
                .setGracePeriodMs(5_000L)
                .setOveragePolicy(OveragePolicy.ALLOW_IF_AVAILABLE)
                .setExpiresAtMs(expiresAtMs)
                .setPricing(new Pricing(INPUT_PRICE, OUTPUT_PRICE))
                .setMetadata(Map.of())
                .build();
        return event(id, 0, at, body);
    }

    /** A chunk of {@link #TOKENS_PER_CHUNK} output tokens; the first one also carries the input tokens. */
    public static StreamEvent chunk(final String id, final long seq, final long at) {
        return event(id, seq, at, new Chunk(TOKENS_PER_CHUNK, seq == 1 ? INPUT_TOKENS : 0L, 1));
    }

    /** The provider's totals after {@code chunks} chunks. */
    public static StreamEvent usage(final String id, final long seq, final long at, final int chunks) {
        return event(id, seq, at, new Usage(INPUT_TOKENS, TOKENS_PER_CHUNK * chunks, null, "gpt-4o-2024-08-06",
                Map.of()));
    }

    /** End(COMPLETED). */
    public static StreamEvent end(final String id, final long seq, final long at) {
        return event(id, seq, at, new End(Outcome.COMPLETED, null));
    }

    private static StreamEvent event(final String id, final long seq, final long at, final Object body) {
        return StreamEvent.newBuilder()
                .setEventId(id + "#" + seq)
                .setReservationId(id)
                .setSeq(seq)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setProducer(PRODUCER)
                .setBody(body)
                .build();
    }
}
