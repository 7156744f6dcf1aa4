package dev.budgetmeter.topology.lifecycle;

/**
 * An amount of spend with the tokens it pays for.
 *
 * @param amount       cost in the reservation's unit, >= 0
 * @param tokensInput  input tokens, >= 0
 * @param tokensOutput output tokens, >= 0
 * @param note         why the amount is what it is when that is not obvious (no price known), or null
 */
public record Charge(long amount, long tokensInput, long tokensOutput, String note) {

    /** True when anything is to be paid: providers bill every token they processed, input or output. */
    public boolean billable() {
        return amount > 0 || tokensInput > 0 || tokensOutput > 0;
    }
}
