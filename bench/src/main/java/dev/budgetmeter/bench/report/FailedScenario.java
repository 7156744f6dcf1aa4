package dev.budgetmeter.bench.report;

import java.util.List;

/**
 * A scenario that threw instead of measuring; the run goes on with the others and exits non-zero.
 *
 * @param error the exception's type and message
 */
public record FailedScenario(String error) implements ScenarioResult {

    /** The result of a scenario that failed with {@code failure}. */
    public static FailedScenario of(final Throwable failure) {
        return new FailedScenario(failure.getClass().getName() + ": " + failure.getMessage());
    }

    @Override
    public List<Goal> goals() {
        return List.of();
    }

    @Override
    public List<Table> tables() {
        return List.of();
    }

    @Override
    public List<String> notes() {
        return List.of("FAILED: " + error);
    }
}
