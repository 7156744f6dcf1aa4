package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Decision;
import dev.budgetmeter.producer.Pricing;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fleet did. Immutable.
 *
 * @param plans     every planned stream
 * @param opened    per reservation whose Reserve Kafka took and the authority allowed, what its worker streamed
 *                  (the plan under the decision's caps)
 * @param decisions per reservation that got one, the authority's decision (allowed or refused)
 * @param pricing   the prices the workers reserved and priced with
 * @param elapsed   how long the workers streamed
 */
public record FleetResult(List<StreamPlan> plans, Map<String, StreamPlan> opened, Map<String, Decision> decisions,
                          Pricing pricing, Duration elapsed) {

    /** The unit every simulated reservation is priced in. */
    public static final String UNIT = "USD_MICROCENTS";

    public FleetResult {
        plans = List.copyOf(plans);
        opened = Map.copyOf(opened);
        decisions = Map.copyOf(decisions);
    }

    /**
     * What the topology must charge per reservation: what its worker streamed, priced, for an opened one; nothing
     * for a refused one (which must end by its refusal). The producer side's expectations.
     */
    public Map<String, Long> expectedCharges() {
        final Map<String, Long> charges = new LinkedHashMap<>();
        for (final StreamPlan plan : plans) {
            final StreamPlan streamed = opened.get(plan.reservationId());
            if (streamed != null) {
                charges.put(plan.reservationId(), streamed.expectedCharge(pricing));
            } else if (isRefused(plan.reservationId())) {
                charges.put(plan.reservationId(), 0L);
            }
        }
        return charges;
    }

    /**
     * What each budget must have charged, by {@code <scope>|<unit>}: the priced usage of every opened reservation
     * the authority held on it (its decision's affected scopes). Empty without a budget ledger.
     */
    public Map<String, Long> expectedBudgetCharges() {
        final Map<String, Long> charges = new TreeMap<>();
        opened.forEach((id, streamed) -> decisions.get(id).affectedScopes().forEach(scope ->
                charges.merge(scope + "|" + UNIT, streamed.expectedCharge(pricing), Long::sum)));
        return charges;
    }

    /** Opened streams by how they ended. */
    public Map<Ending, Integer> endings() {
        final Map<Ending, Integer> counts = new EnumMap<>(Ending.class);
        opened.values().forEach(plan -> counts.merge(plan.ending(), 1, Integer::sum));
        return counts;
    }

    /** Opened streams long enough to need extends. */
    public long longStreams() {
        return opened.values().stream().filter(StreamPlan::longStream).count();
    }

    /** Allowed decisions by kind (ALLOW, ALLOW_WITH_CAPS), and refusals by reason code. */
    public Map<String, Integer> decisionCounts() {
        final Map<String, Integer> counts = new TreeMap<>();
        decisions.values().forEach(decision -> counts.merge(decision.allowed() ? decision.kind().name()
                : "refused " + decision.reasonCode().orElse("DENY"), 1, Integer::sum));
        return counts;
    }

    /** Reservations the authority refused. */
    public long refusedByAuthority() {
        return decisions.values().stream().filter(decision -> !decision.allowed()).count();
    }

    /** Streams whose Reserve Kafka did not take, or that got no decision. */
    public long notOpened() {
        return plans.size() - opened.size() - refusedByAuthority();
    }

    private boolean isRefused(final String reservationId) {
        final Decision decision = decisions.get(reservationId);
        return decision != null && !decision.allowed();
    }
}
