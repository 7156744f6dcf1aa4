package dev.budgetmeter.bench.report;

/**
 * One goal of the issue and whether this run met it. Immutable.
 *
 * @param scenario which scenario measured it
 * @param name     what is measured, for people
 * @param target   the goal, for example {@code >= 0.6}
 * @param value    the measured figure, formatted
 * @param met      true or false, or null when the run could not tell (for example: not saturated)
 * @param note     why the verdict is qualified, or empty
 */
public record Goal(String scenario, String name, String target, String value, Boolean met, String note) {

    /** The verdict as a word for tables. */
    public String verdict() {
        if (met == null) {
            return "n/a";
        }
        return met ? "met" : "NOT met";
    }
}
