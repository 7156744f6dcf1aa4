package dev.budgetmeter.bench.load;

import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;

/**
 * The events of simulated streams, shaped like a worker's: chunks of a few tokens, provider totals, then
 * End(COMPLETED), held for a tenant's workspace {@code prod}. The events, their prices (the streaming guide's gpt-4o
 * call) and their $0.01 estimate are {@link StreamEventFixture}'s, the one fixture of the contract.
 */
public final class BenchEvents {

    /** Price of an input token, USD microcents. */
    public static final long INPUT_PRICE = StreamEventFixture.INPUT_PRICE;
    /** Price of an output token, USD microcents. */
    public static final long OUTPUT_PRICE = StreamEventFixture.OUTPUT_PRICE;
    /** The estimate every Reserve holds, USD microcents. */
    public static final long ESTIMATE = StreamEventFixture.ESTIMATE;
    static final long INPUT_TOKENS = 40;
    static final long TOKENS_PER_CHUNK = 12;
    /** The tenant of every Reserve unless a stream shape names another. */
    public static final String DEFAULT_TENANT = StreamEventFixture.TENANT;
    /** The workspace and agent of every Reserve's subject. */
    public static final String WORKSPACE = "prod";
    public static final String AGENT = "bench-agent";

    private BenchEvents() {
    }

    /** The Reserve (seq 0) of the default tenant; {@code expiresAtMs} null means occurred_at + ttl. */
    public static StreamEvent reserve(final String id, final long at, final Duration ttl, final Long expiresAtMs) {
        return reserve(id, DEFAULT_TENANT, at, ttl, expiresAtMs);
    }

    /** The Reserve (seq 0) of {@code tenant}'s workspace {@code prod}; {@code expiresAtMs} null means at + ttl. */
    public static StreamEvent reserve(final String id, final String tenant, final long at, final Duration ttl,
                                      final Long expiresAtMs) {
        return StreamEventFixture.reserve(id, at, body -> body
                .setSubject(Subject.newBuilder().setTenant(tenant).setWorkspace(WORKSPACE).setAgent(AGENT).build())
                .setTtlMs(ttl.toMillis())
                .setExpiresAtMs(expiresAtMs));
    }

    /** A chunk of {@link #TOKENS_PER_CHUNK} output tokens; the first one also carries the input tokens. */
    public static StreamEvent chunk(final String id, final long seq, final long at) {
        return StreamEventFixture.chunk(id, seq, at, TOKENS_PER_CHUNK, seq == 1 ? INPUT_TOKENS : 0L);
    }

    /** The provider's totals after {@code chunks} chunks. */
    public static StreamEvent usage(final String id, final long seq, final long at, final int chunks) {
        return StreamEventFixture.usage(id, seq, at, INPUT_TOKENS, TOKENS_PER_CHUNK * chunks, null);
    }

    /** End(COMPLETED). */
    public static StreamEvent end(final String id, final long seq, final long at) {
        return StreamEventFixture.end(id, seq, at, Outcome.COMPLETED, null);
    }
}
