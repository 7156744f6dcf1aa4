package dev.budgetmeter.producer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A budget authority's answer to one reservation, as the Cycles protocol gives it: allowed, allowed with advisory
 * caps, or denied with a reason code ({@code BUDGET_EXCEEDED}, {@code BUDGET_FROZEN}, {@code BUDGET_CLOSED},
 * {@code BUDGET_NOT_FOUND}, {@code UNIT_MISMATCH}, {@code OVERDRAFT_LIMIT_EXCEEDED}, {@code DEBT_OUTSTANDING}, ...)
 * and, when one budget refused, its scope. Immutable.
 *
 * <p>With an authority outside the pipeline ({@link DecisionMode#EXTERNAL}) the decision was taken before the stream
 * was opened, and this is it as the reservation describes it: allowed, with the caps it carries.
 */
public final class Decision {

    /** The three answers of the protocol. */
    public enum Kind {
        /** Allowed: the estimate is held. */
        ALLOW,
        /** Allowed, with caps the worker applies ({@link MeteredStream#effectiveMaxTokens}). */
        ALLOW_WITH_CAPS,
        /** Refused: nothing is held; see {@link #reasonCode()}. */
        DENY
    }

    private final Kind kind;
    private final String reasonCode;
    private final String deniedScope;
    private final Caps caps;
    private final List<String> affectedScopes;
    private final Instant expiresAt;

    Decision(final Kind kind, final String reasonCode, final String deniedScope, final Caps caps,
             final List<String> affectedScopes, final Instant expiresAt) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reasonCode = reasonCode;
        this.deniedScope = deniedScope;
        this.caps = caps;
        this.affectedScopes = List.copyOf(affectedScopes);
        this.expiresAt = expiresAt;
    }

    /**
     * An allowing decision: ALLOW_WITH_CAPS when {@code caps} is given, else ALLOW.
     *
     * @param caps           the caps to apply, or null
     * @param affectedScopes the scopes holding the estimate
     * @param expiresAt      when the hold expires, or null when not said
     */
    public static Decision allowed(final Caps caps, final List<String> affectedScopes, final Instant expiresAt) {
        return new Decision(caps == null ? Kind.ALLOW : Kind.ALLOW_WITH_CAPS, null, null, caps, affectedScopes,
                expiresAt);
    }

    /**
     * A refusal.
     *
     * @param reasonCode  why, as the protocol names it ({@code BUDGET_EXCEEDED}, ...)
     * @param deniedScope the scope whose budget refused, or null
     */
    public static Decision refused(final String reasonCode, final String deniedScope) {
        return new Decision(Kind.DENY, Objects.requireNonNull(reasonCode, "reasonCode"), deniedScope, null, List.of(),
                null);
    }

    /** The decision an outside authority took on a reservation: allowed, with the reservation's caps. */
    static Decision taken(final StreamReservation reservation) {
        return allowed(reservation.caps().orElse(null), List.of(), reservation.expiresAt().orElse(null));
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the stream may go on: ALLOW or ALLOW_WITH_CAPS. */
    public boolean allowed() {
        return kind != Kind.DENY;
    }

    /** Why it was refused; empty when allowed. */
    public Optional<String> reasonCode() {
        return Optional.ofNullable(reasonCode);
    }

    /** The scope whose budget refused it, when one did (a subject with no budget at all has none). */
    public Optional<String> deniedScope() {
        return Optional.ofNullable(deniedScope);
    }

    /** The caps to apply, with ALLOW_WITH_CAPS. */
    public Optional<Caps> caps() {
        return Optional.ofNullable(caps);
    }

    /** The budgeted scopes that hold the estimate, tenant first; empty when refused or unbudgeted. */
    public List<String> affectedScopes() {
        return affectedScopes;
    }

    /** When the hold expires unless extended, when the authority said. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Decision that && kind == that.kind && Objects.equals(reasonCode, that.reasonCode)
                && Objects.equals(deniedScope, that.deniedScope) && Objects.equals(caps, that.caps)
                && affectedScopes.equals(that.affectedScopes) && Objects.equals(expiresAt, that.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reasonCode, deniedScope, caps, affectedScopes, expiresAt);
    }

    @Override
    public String toString() {
        return kind + (reasonCode == null ? "" : " " + reasonCode) + (deniedScope == null ? "" : " on " + deniedScope)
                + (caps == null ? "" : " " + caps);
    }
}
