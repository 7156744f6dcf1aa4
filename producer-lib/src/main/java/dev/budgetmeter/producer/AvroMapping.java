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

    static Reserve reserve(final StreamReservation reservation, final String reserveKey,
                           final Integer replyPartition) {
        return new Reserve(
                reserveKey,
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
                replyPartition);
    }

    static dev.budgetmeter.schemas.Usage usage(final Usage usage) {
        return new dev.budgetmeter.schemas.Usage(usage.inputTokens(), usage.outputTokens(),
                usage.actual().map(AvroMapping::amount).orElse(null), usage.modelVersion().orElse(null),
                usage.custom());
    }

    static dev.budgetmeter.schemas.Amount amount(final Amount amount) {
        return new dev.budgetmeter.schemas.Amount(Unit.valueOf(amount.unit().name()), amount.amount());
    }

    static dev.budgetmeter.schemas.Subject subject(final Subject subject) {
        return new dev.budgetmeter.schemas.Subject(subject.tenant(), subject.workspace().orElse(null),
                subject.app().orElse(null), subject.workflow().orElse(null), subject.agent().orElse(null),
                subject.toolset().orElse(null), Map.copyOf(subject.dimensions()));
    }

    /** The ledger's decision as the public type. */
    static Decision decision(final dev.budgetmeter.schemas.Decision decision) {
        // A kind newer than this library reads as UNKNOWN: refused, as the schema says, rather than guessed at.
        final Decision.Kind kind = switch (decision.getDecision()) {
            case ALLOW -> Decision.Kind.ALLOW;
            case ALLOW_WITH_CAPS -> Decision.Kind.ALLOW_WITH_CAPS;
            case DENY, UNKNOWN -> Decision.Kind.DENY;
        };
        final String reason = decision.getReasonCode() != null || kind != Decision.Kind.DENY
                ? decision.getReasonCode() : "UNKNOWN_DECISION";
        return new Decision(kind, reason, decision.getDeniedScope(),
                decision.getCaps() == null ? null : caps(decision.getCaps()), decision.getAffectedScopes(),
                decision.getExpiresAtMs() == null ? null : Instant.ofEpochMilli(decision.getExpiresAtMs()));
    }

    static Caps caps(final dev.budgetmeter.schemas.Caps caps) {
        final Caps.Builder builder = Caps.builder();
        if (caps.getMaxTokens() != null) {
            builder.maxTokens(caps.getMaxTokens());
        }
        if (caps.getMaxStepsRemaining() != null) {
            builder.maxStepsRemaining(caps.getMaxStepsRemaining());
        }
        if (caps.getToolAllowlist() != null) {
            builder.toolAllowlist(caps.getToolAllowlist());
        }
        if (caps.getToolDenylist() != null) {
            builder.toolDenylist(caps.getToolDenylist());
        }
        if (caps.getCooldownMs() != null) {
            builder.cooldown(Duration.ofMillis(caps.getCooldownMs()));
        }
        return builder.build();
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
