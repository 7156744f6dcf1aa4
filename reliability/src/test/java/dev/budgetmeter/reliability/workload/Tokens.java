package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.fixture.StreamEventFixture;

/**
 * A count of input and output tokens. Immutable.
 *
 * @param input  input (prompt) tokens, >= 0
 * @param output output (completion) tokens, >= 0
 */
public record Tokens(long input, long output) {

    public static final Tokens NONE = new Tokens(0, 0);

    public Tokens plus(final Tokens other) {
        return new Tokens(input + other.input, output + other.output);
    }

    /** What these tokens cost under the workload's pricing. */
    public long price() {
        return StreamEventFixture.price(input, output);
    }

    /** Whether anything here is billable: providers bill every token, input or output. */
    public boolean billable() {
        return input > 0 || output > 0;
    }
}
