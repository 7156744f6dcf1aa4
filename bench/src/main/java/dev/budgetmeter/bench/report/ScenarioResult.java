package dev.budgetmeter.bench.report;

import java.util.List;

/**
 * What one scenario measured. Implementations are immutable records; their components are what {@code results.json}
 * holds for the scenario, and these methods are what {@code results.md} shows.
 */
public interface ScenarioResult {

    /** The goals this scenario checks, with verdicts. */
    List<Goal> goals();

    /** The tables of the Markdown report. */
    List<Table> tables();

    /** Facts about how the figures were measured, one sentence each. */
    List<String> notes();
}
