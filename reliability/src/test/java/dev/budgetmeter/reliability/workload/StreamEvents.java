package dev.budgetmeter.reliability.workload;

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

/**
 * Builds the stream events of the reliability workloads, priced like the streaming guide's gpt-4o call (250 and
 * 1,000 USD microcents per input and output token). Event ids are {@code <reservation>#<seq>}, so a replayed event
 * keeps its id.
 */
public final class StreamEvents {

    public static final long INPUT_PRICE = 250;
    public static final long OUTPUT_PRICE = 1_000;
    public static final String WORKER = "reliability-worker";
    /** The protocol's default grace after a hold's expiry, during which a Commit or Release is still accepted. */
    public static final long GRACE_PERIOD_MS = 5_000;
    /** The tenant of every stream, and the workspace under it. */
    public static final String TENANT = "acme";
    public static final String WORKSPACE = "reliability";
    /**
     * The budget ledger's scopes of every stream's subject, each with a budget (see ScenarioDeployment): every
     * hold is on both.
     */
    public static final List<String> BUDGETED_SCOPES = List.of("tenant:" + TENANT,
            "tenant:" + TENANT + "/workspace:" + WORKSPACE);

    private StreamEvents() {
    }

    /** The price of tokens under the workload's pricing. */
    public static long price(final long tokensInput, final long tokensOutput) {
        return tokensInput * INPUT_PRICE + tokensOutput * OUTPUT_PRICE;
    }

    /**
     * A valid Reserve body: tenant, gpt-4o action, estimate, ttl and the default grace; callers may change it before
     * building.
     */
    public static Reserve.Builder reserveBody(final String reservationId, final long estimate, final long ttlMs) {
        return Reserve.newBuilder()
                .setIdempotencyKey(reservationId + ":reserve")
                .setSubject(Subject.newBuilder().setTenant(TENANT).setWorkspace(WORKSPACE).build())
                .setAction(new Action("llm.completion", "gpt-4o", List.of()))
                .setEstimate(new Amount(Unit.USD_MICROCENTS, estimate))
                .setTtlMs(ttlMs)
                .setGracePeriodMs(GRACE_PERIOD_MS)
                .setOveragePolicy(OveragePolicy.ALLOW_IF_AVAILABLE)
                .setPricing(new Pricing(INPUT_PRICE, OUTPUT_PRICE))
                .setMetadata(Map.of());
    }

    public static StreamEvent reserve(final String reservationId, final Instant at, final Reserve reserve) {
        return event(reservationId, 0, at, reserve);
    }

    public static StreamEvent chunk(final String reservationId, final long seq, final Instant at,
                                    final long tokensOutput, final long tokensInput) {
        return event(reservationId, seq, at, new Chunk(tokensOutput, tokensInput, 1));
    }

    public static StreamEvent usage(final String reservationId, final long seq, final Instant at,
                                    final long tokensInput, final long tokensOutput) {
        return event(reservationId, seq, at, new Usage(tokensInput, tokensOutput, null, "gpt-4o-2024-08-06", Map.of()));
    }

    public static StreamEvent end(final String reservationId, final long seq, final Instant at, final Outcome outcome,
                                  final String reason) {
        return event(reservationId, seq, at, new End(outcome, reason));
    }

    /** An event with any body, for bodies the helpers above do not cover. */
    public static StreamEvent event(final String reservationId, final long seq, final Instant at, final Object body) {
        return StreamEvent.newBuilder()
                .setEventId(reservationId + "#" + seq)
                .setReservationId(reservationId)
                .setSeq(seq)
                .setOccurredAt(at)
                .setProducer(new ProducerInfo(WORKER, "reliability/0"))
                .setBody(body)
                .build();
    }
}
