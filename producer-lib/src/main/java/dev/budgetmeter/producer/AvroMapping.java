package dev.budgetmeter.producer;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The public value types as the Avro records of the stream-events contract. The public API never shows Avro types
 * (and the Avro {@code Subject}, {@code Amount} and {@code Usage} share names with ours).
 */
final class AvroMapping {

    /** The Reserve's idempotency key is derived, so a replayed Reserve is recognised by the authority. */
    static final String RESERVE_KEY_SUFFIX = ":reserve";

    private AvroMapping() {
    }

    static Reserve reserve(final StreamReservation reservation) {
        return new Reserve(
                reservation.reservationId() + RESERVE_KEY_SUFFIX,
                subject(reservation.subject()),
                new Action(reservation.actionKind(), reservation.actionName(), reservation.actionTags()),
                amount(reservation.estimate()),
                reservation.ttl().toMillis(),
                reservation.gracePeriod().toMillis(),
                OveragePolicy.valueOf(reservation.overagePolicy().name()),
                reservation.expiresAt().map(Instant::toEpochMilli).orElse(null),
                reservation.caps().map(AvroMapping::caps).orElse(null),
                reservation.pricing().map(AvroMapping::pricing).orElse(null),
                reservation.metadata(),
                null);
    }

    static dev.budgetmeter.schemas.Usage usage(final Usage usage) {
        return new dev.budgetmeter.schemas.Usage(usage.inputTokens(), usage.outputTokens(),
                usage.actual().map(AvroMapping::amount).orElse(null), usage.modelVersion().orElse(null),
                usage.custom());
    }

    static dev.budgetmeter.schemas.Amount amount(final Amount amount) {
        return new dev.budgetmeter.schemas.Amount(Unit.valueOf(amount.unit().name()), amount.amount());
    }

    private static dev.budgetmeter.schemas.Subject subject(final Subject subject) {
        return new dev.budgetmeter.schemas.Subject(subject.tenant(), subject.workspace().orElse(null),
                subject.app().orElse(null), subject.workflow().orElse(null), subject.agent().orElse(null),
                subject.toolset().orElse(null), Map.copyOf(subject.dimensions()));
    }

    private static dev.budgetmeter.schemas.Caps caps(final Caps caps) {
        return new dev.budgetmeter.schemas.Caps(
                caps.maxTokens().isPresent() ? caps.maxTokens().getAsLong() : null,
                caps.maxStepsRemaining().isPresent() ? caps.maxStepsRemaining().getAsInt() : null,
                caps.toolAllowlist().orElse(null),
                caps.toolDenylist().orElse(null),
                caps.cooldown().map(Duration::toMillis).orElse(null));
    }

    private static dev.budgetmeter.schemas.Pricing pricing(final Pricing pricing) {
        return new dev.budgetmeter.schemas.Pricing(pricing.inputTokenPrice(), pricing.outputTokenPrice());
    }
}
