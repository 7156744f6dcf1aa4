package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topology.lifecycle.Rejection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a decoded event against the protocol's limits before it may touch any state. Returns the first violation,
 * naming the field and the rule, or empty when the event is valid. Stateless and thread-safe.
 *
 * <p>Checks that need the reservation (a Usage priced in another unit than the estimate, a second different Reserve)
 * are the lifecycle's.
 */
public final class StreamEventValidator {

    static final int MAX_ID_LENGTH = 256;
    static final int MAX_LEVEL_LENGTH = 128;
    static final int MAX_ACTION_KIND_LENGTH = 64;
    static final int MAX_ACTION_NAME_LENGTH = 256;
    static final int MAX_TAGS = 10;
    static final int MAX_REASON_LENGTH = 256;
    static final int MAX_MAP_ENTRIES = 64;
    static final int MAX_MAP_VALUE_LENGTH = 1024;
    static final long MIN_TTL_MS = 1_000L;
    static final long MAX_TTL_MS = 86_400_000L;
    static final long MAX_GRACE_MS = 60_000L;
    /** Far above any real call, far below overflow when multiplied by a price. */
    static final long MAX_TOKENS = 1_000_000_000_000L;

    /** Validates the event read under {@code key}. */
    public Optional<Rejection> validate(final String key, final StreamEvent event) {
        if (!event.getReservationId().equals(key)) {
            return reject(DeadLetterReason.KEY_MISMATCH, "record key '" + abbreviate(key)
                    + "' differs from reservation_id '" + abbreviate(event.getReservationId()) + "'");
        }
        final String envelope = firstNonNull(
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
            problem = firstNonNull(
                    range("Chunk.tokens_output", chunk.getTokensOutput(), 0, MAX_TOKENS),
                    range("Chunk.tokens_input", chunk.getTokensInput(), 0, MAX_TOKENS),
                    range("Chunk.chunks", chunk.getChunks(), 1, Integer.MAX_VALUE));
        } else if (body instanceof Usage usage) {
            problem = firstNonNull(
                    range("Usage.tokens_input", usage.getTokensInput(), 0, MAX_TOKENS),
                    range("Usage.tokens_output", usage.getTokensOutput(), 0, MAX_TOKENS),
                    usage.getActual() == null ? null
                            : range("Usage.actual.amount", usage.getActual().getAmount(), 0, Long.MAX_VALUE),
                    length("Usage.model_version", usage.getModelVersion(), 0, MAX_ACTION_NAME_LENGTH),
                    map("Usage.custom", usage.getCustom()));
        } else if (body instanceof End end) {
            problem = length("End.reason", end.getReason(), 0, MAX_REASON_LENGTH);
        } else {
            problem = "body is not a Reserve, Chunk, Usage or End";
        }
        return problem == null ? Optional.empty() : reject(DeadLetterReason.INVALID_EVENT, problem);
    }

    private static String reserve(final Reserve reserve) {
        final Subject subject = reserve.getSubject();
        final Action action = reserve.getAction();
        final Pricing pricing = reserve.getPricing();
        final Caps caps = reserve.getCaps();
        return firstNonNull(
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
                range("Reserve.estimate.amount", reserve.getEstimate().getAmount(), 0, Long.MAX_VALUE),
                range("Reserve.ttl_ms", reserve.getTtlMs(), MIN_TTL_MS, MAX_TTL_MS),
                range("Reserve.grace_period_ms", reserve.getGracePeriodMs(), 0, MAX_GRACE_MS),
                reserve.getExpiresAtMs() == null ? null
                        : range("Reserve.expires_at_ms", reserve.getExpiresAtMs(), 1, Long.MAX_VALUE),
                pricing == null ? null : firstNonNull(
                        range("Reserve.pricing.input_token_price", pricing.getInputTokenPrice(), 0, Long.MAX_VALUE),
                        range("Reserve.pricing.output_token_price", pricing.getOutputTokenPrice(), 0, Long.MAX_VALUE)),
                caps == null || caps.getMaxTokens() == null ? null
                        : range("Reserve.caps.max_tokens", caps.getMaxTokens(), 0, Long.MAX_VALUE),
                map("Reserve.metadata", reserve.getMetadata()));
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

    private static String range(final String field, final long value, final long min, final long max) {
        return value < min || value > max
                ? field + " is " + value + ", outside " + min + ".." + (max == Long.MAX_VALUE ? "" : max) : null;
    }

    private static String length(final String field, final String value, final int min, final int max) {
        if (value == null) {
            return min > 0 ? field + " is missing" : null;
        }
        return value.length() < min || value.length() > max
                ? field + " has " + value.length() + " characters, allowed " + min + ".." + max : null;
    }

    private static String list(final String field, final List<String> values, final int max) {
        if (values.size() > max) {
            return field + " has " + values.size() + " entries, at most " + max;
        }
        return values.stream().map(v -> length(field + " entry", v, 0, MAX_ACTION_NAME_LENGTH))
                .filter(p -> p != null).findFirst().orElse(null);
    }

    private static String map(final String field, final Map<String, String> values) {
        if (values.size() > MAX_MAP_ENTRIES) {
            return field + " has " + values.size() + " entries, at most " + MAX_MAP_ENTRIES;
        }
        return values.entrySet().stream()
                .map(e -> firstNonNull(length(field + " key", e.getKey(), 1, MAX_LEVEL_LENGTH),
                        length(field + "['" + abbreviate(e.getKey()) + "']", e.getValue(), 0, MAX_MAP_VALUE_LENGTH)))
                .filter(p -> p != null).findFirst().orElse(null);
    }

    private static String firstNonNull(final String... problems) {
        for (final String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static Optional<Rejection> reject(final DeadLetterReason reason, final String message) {
        return Optional.of(new Rejection(reason, message));
    }

    static String abbreviate(final String text) {
        return text == null || text.length() <= 64 ? text : text.substring(0, 64) + "...(" + text.length() + " chars)";
    }
}
