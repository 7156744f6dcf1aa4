package dev.budgetmeter.topology.decode;

import static dev.budgetmeter.topology.rules.FieldLimits.MAX_ACTION_KIND_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_ACTION_NAME_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_AMOUNT;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_GRACE_MS;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_ID_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_LEVEL_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_TAGS;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_TOKENS;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_TOKEN_PRICE;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_TTL_MS;
import static dev.budgetmeter.topology.rules.FieldLimits.MIN_TTL_MS;
import static dev.budgetmeter.topology.rules.FieldLimits.abbreviate;
import static dev.budgetmeter.topology.rules.FieldLimits.firstProblem;
import static dev.budgetmeter.topology.rules.FieldLimits.length;
import static dev.budgetmeter.topology.rules.FieldLimits.list;
import static dev.budgetmeter.topology.rules.FieldLimits.map;
import static dev.budgetmeter.topology.rules.FieldLimits.range;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topology.rules.Rejection;
import java.util.Optional;

/**
 * Checks a decoded event's essential fields against the protocol's limits before it may touch any state: the
 * envelope, who spends, what is held and what it costs, the token counts. Returns the first violation, naming the
 * field and the rule, or empty when the event may be applied. Stateless and thread-safe.
 *
 * <p>Fields that do not change what is billed (a Reserve's metadata and caps, a Usage's worker-priced actual, model
 * version and custom metrics, an End's reason) are not checked here: the lifecycle ignores only such a field when it
 * is out of bounds, and applies the rest of the event, so that no valid token count is dropped with it. Checks that
 * need the reservation (a second, different Reserve) are the lifecycle's too.
 */
public final class StreamEventValidator {

    /** Validates the event read under {@code key}. */
    public Optional<Rejection> validate(final String key, final StreamEvent event) {
        if (!event.getReservationId().equals(key)) {
            return reject(DeadLetterReason.KEY_MISMATCH, "record key '" + abbreviate(key)
                    + "' differs from reservation_id '" + abbreviate(event.getReservationId()) + "'");
        }
        final String envelope = firstProblem(
                length("reservation_id", event.getReservationId(), 1, MAX_ID_LENGTH),
                length("event_id", event.getEventId(), 1, MAX_ID_LENGTH),
                range("seq", event.getSeq(), 0, Long.MAX_VALUE),
                range("occurred_at", event.getOccurredAt().toEpochMilli(), 1, Long.MAX_VALUE),
                length("producer.worker_id", event.getProducer().getWorkerId(), 0, MAX_ID_LENGTH),
                length("producer.library_version", event.getProducer().getLibraryVersion(), 0, MAX_ID_LENGTH),
                seqMatchesBody(event));
        if (envelope != null) {
            return reject(DeadLetterReason.INVALID_EVENT, envelope);
        }
        final Object body = event.getBody();
        final String problem;
        if (body instanceof Reserve reserve) {
            problem = reserve(reserve);
        } else if (body instanceof Chunk chunk) {
            problem = firstProblem(
                    range("Chunk.tokens_output", chunk.getTokensOutput(), 0, MAX_TOKENS),
                    range("Chunk.tokens_input", chunk.getTokensInput(), 0, MAX_TOKENS),
                    range("Chunk.chunks", chunk.getChunks(), 1, Integer.MAX_VALUE));
        } else if (body instanceof Usage usage) {
            problem = firstProblem(
                    range("Usage.tokens_input", usage.getTokensInput(), 0, MAX_TOKENS),
                    range("Usage.tokens_output", usage.getTokensOutput(), 0, MAX_TOKENS));
        } else if (body instanceof End) {
            problem = null;
        } else {
            problem = "body is not a Reserve, Chunk, Usage or End";
        }
        return problem == null ? Optional.empty() : reject(DeadLetterReason.INVALID_EVENT, problem);
    }

    private static String reserve(final Reserve reserve) {
        final Subject subject = reserve.getSubject();
        final Action action = reserve.getAction();
        final Pricing pricing = reserve.getPricing();
        return firstProblem(
                length("Reserve.idempotency_key", reserve.getIdempotencyKey(), 1, MAX_ID_LENGTH),
                subject.getTenant().isBlank() ? "Reserve.subject.tenant is missing (blank)" : null,
                length("Reserve.subject.tenant", subject.getTenant(), 1, MAX_LEVEL_LENGTH),
                length("Reserve.subject.workspace", subject.getWorkspace(), 0, MAX_LEVEL_LENGTH),
                length("Reserve.subject.app", subject.getApp(), 0, MAX_LEVEL_LENGTH),
                length("Reserve.subject.workflow", subject.getWorkflow(), 0, MAX_LEVEL_LENGTH),
                length("Reserve.subject.agent", subject.getAgent(), 0, MAX_LEVEL_LENGTH),
                length("Reserve.subject.toolset", subject.getToolset(), 0, MAX_LEVEL_LENGTH),
                map("Reserve.subject.dimensions", subject.getDimensions()),
                length("Reserve.action.kind", action.getKind(), 1, MAX_ACTION_KIND_LENGTH),
                length("Reserve.action.name", action.getName(), 1, MAX_ACTION_NAME_LENGTH),
                list("Reserve.action.tags", action.getTags(), MAX_TAGS),
                // An estimate of 0 is legal: the protocol allows it (a call that is only metered, never held).
                range("Reserve.estimate.amount", reserve.getEstimate().getAmount(), 0, MAX_AMOUNT),
                range("Reserve.ttl_ms", reserve.getTtlMs(), MIN_TTL_MS, MAX_TTL_MS),
                range("Reserve.grace_period_ms", reserve.getGracePeriodMs(), 0, MAX_GRACE_MS),
                reserve.getExpiresAtMs() == null ? null
                        : range("Reserve.expires_at_ms", reserve.getExpiresAtMs(), 1, Long.MAX_VALUE),
                pricing == null ? null : firstProblem(
                        range("Reserve.pricing.input_token_price", pricing.getInputTokenPrice(), 0, MAX_TOKEN_PRICE),
                        range("Reserve.pricing.output_token_price", pricing.getOutputTokenPrice(), 0,
                                MAX_TOKEN_PRICE)));
    }

    private static String seqMatchesBody(final StreamEvent event) {
        final boolean reserve = event.getBody() instanceof Reserve;
        if (reserve && event.getSeq() != 0) {
            return "seq is " + event.getSeq() + " but a Reserve is always seq 0";
        }
        if (!reserve && event.getSeq() == 0) {
            return "seq 0 is the Reserve's, but the body is " + event.getBody().getClass().getSimpleName();
        }
        return null;
    }

    private static Optional<Rejection> reject(final DeadLetterReason reason, final String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
