package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topology.rules.FieldLimits;

/**
 * What the usage observed on a reservation costs.
 *
 * <p>Provider totals (a Usage event) win over chunk sums; a worker-priced {@code Usage.actual} wins over any price.
 * Otherwise tokens are priced with the Reserve's pricing, else the configured price table for the action name, else
 * one unit per token when the unit is TOKENS. With no price at all the estimate is charged, and the charge says so:
 * the authority approved that worst case, and charging nothing would lose real spend. No charge exceeds
 * {@link FieldLimits#MAX_AMOUNT}; the inputs are bounded so that nothing overflows on the way.
 */
public final class Billing {

    private final PriceTable prices;

    public Billing(final PriceTable prices) {
        this.prices = prices;
    }

    /** The whole cost of what has been observed on the reservation so far. */
    public Charge observed(final ReservationSnapshot reservation) {
        final Usage reported = reservation.getReportedUsage();
        final long tokensInput = reported != null ? reported.getTokensInput() : reservation.getChunkTokensInput();
        final long tokensOutput = reported != null ? reported.getTokensOutput() : reservation.getChunkTokensOutput();
        if (reported != null && reported.getActual() != null) {
            return new Charge(reported.getActual().getAmount(), tokensInput, tokensOutput, null);
        }
        return priced(reservation, tokensInput, tokensOutput);
    }

    /** What has been observed but not accounted for by the settlement and the debits after it. */
    public Charge unaccounted(final ReservationSnapshot reservation) {
        final Charge observed = observed(reservation);
        return new Charge(
                Math.max(0, observed.amount() - reservation.getBilledAmount()),
                Math.max(0, observed.tokensInput() - reservation.getBilledTokensInput()),
                Math.max(0, observed.tokensOutput() - reservation.getBilledTokensOutput()),
                observed.note());
    }

    private Charge priced(final ReservationSnapshot reservation, final long tokensInput, final long tokensOutput) {
        final Pricing pricing = reservation.getPricing() != null
                ? reservation.getPricing()
                : prices.forAction(reservation.getAction().getName()).orElse(null);
        if (pricing != null) {
            final long amount = saturatingAdd(
                    saturatingMultiply(tokensInput, pricing.getInputTokenPrice()),
                    saturatingMultiply(tokensOutput, pricing.getOutputTokenPrice()));
            return amount > FieldLimits.MAX_AMOUNT
                    ? new Charge(FieldLimits.MAX_AMOUNT, tokensInput, tokensOutput, "the priced tokens cost " + amount
                    + ", more than an amount may be (2^53 - 1): charged that")
                    : new Charge(amount, tokensInput, tokensOutput, null);
        }
        if (reservation.getEstimate().getUnit() == Unit.TOKENS) {
            return new Charge(Math.min(FieldLimits.MAX_AMOUNT, saturatingAdd(tokensInput, tokensOutput)), tokensInput,
                    tokensOutput,
                    null);
        }
        if (tokensInput == 0 && tokensOutput == 0) {
            return new Charge(0, 0, 0, null);
        }
        return new Charge(reservation.getEstimate().getAmount(), tokensInput, tokensOutput,
                "no price for action '" + reservation.getAction().getName() + "': charged the estimate");
    }

    private static long saturatingMultiply(final long a, final long b) {
        final long high = Math.multiplyHigh(a, b);
        final long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatingAdd(final long a, final long b) {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
