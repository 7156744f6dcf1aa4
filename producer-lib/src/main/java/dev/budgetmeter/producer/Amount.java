package dev.budgetmeter.producer;

import java.util.Objects;

/**
 * A non-negative budget amount in one unit, as in the Cycles protocol. Immutable.
 *
 * <p>Every amount of one reservation is in the unit of its estimate: a {@link Usage#actual()} in another unit is
 * refused when the usage is reported.
 *
 * @param unit   the unit
 * @param amount the amount in {@code unit}, {@code >= 0}
 */
public record Amount(Unit unit, long amount) {

    /** The units of the protocol. */
    public enum Unit {
        /** 1 = 10^-8 USD, so one dollar is 100,000,000. */
        USD_MICROCENTS,
        /** Tokens. */
        TOKENS,
        /** Credits of the deployment's own currency. */
        CREDITS,
        /** Risk points. */
        RISK_POINTS
    }

    /** @throws IllegalArgumentException when {@code amount} is negative */
    public Amount {
        Objects.requireNonNull(unit, "unit");
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be >= 0, was " + amount);
        }
    }

    /** An amount of USD microcents (1 = 10^-8 USD). */
    public static Amount usdMicrocents(final long amount) {
        return new Amount(Unit.USD_MICROCENTS, amount);
    }

    /** An amount of tokens. */
    public static Amount tokens(final long amount) {
        return new Amount(Unit.TOKENS, amount);
    }

    /** An amount of credits. */
    public static Amount credits(final long amount) {
        return new Amount(Unit.CREDITS, amount);
    }

    /** An amount of risk points. */
    public static Amount riskPoints(final long amount) {
        return new Amount(Unit.RISK_POINTS, amount);
    }
}
