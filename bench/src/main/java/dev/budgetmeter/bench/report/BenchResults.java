package dev.budgetmeter.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as written to {@code results.json}: the machine, the profile, every scenario's
 * figures keyed by scenario id (in run order), and the goals with verdicts. Immutable.
 *
 * @param profile      {@code smoke}, {@code quick} or {@code full}
 * @param command      the command line that produced it
 * @param machine      the machine's facts
 * @param totalSeconds wall time of the whole run
 * @param scenarios    scenario id to its result
 * @param goals        every goal of every scenario
 */
public record BenchResults(String profile, String command, MachineFacts machine, double totalSeconds,
                           Map<String, ScenarioResult> scenarios, List<Goal> goals) {

    /** Collects the goals of the scenarios. */
    public static BenchResults of(final String profile, final String command, final MachineFacts machine,
                                  final double totalSeconds, final Map<String, ScenarioResult> scenarios) {
        final List<Goal> goals = new ArrayList<>();
        scenarios.values().forEach(result -> goals.addAll(result.goals()));
        return new BenchResults(profile, command, machine, totalSeconds,
                Collections.unmodifiableMap(new LinkedHashMap<>(scenarios)), List.copyOf(goals));
    }

    /** Whether every scenario ran to the end (none threw). */
    public boolean allCompleted() {
        return scenarios.values().stream().noneMatch(FailedScenario.class::isInstance);
    }
}
