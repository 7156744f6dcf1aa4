package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Pricing;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fleet did. Immutable.
 *
 * @param plans    every planned stream
 * @param opened   the reservation ids whose Reserve Kafka took (the others were refused)
 * @param pricing  the prices the workers reserved and priced with
 * @param elapsed  how long the workers streamed
 */
public record FleetResult(List<StreamPlan> plans, Set<String> opened, Pricing pricing, Duration elapsed) {

    public FleetResult {
        plans = List.copyOf(plans);
        opened = Set.copyOf(opened);
    }

    /** What the topology must charge per opened reservation: the producer side's expectations. */
    public Map<String, Long> expectedCharges() {
        final Map<String, Long> charges = new LinkedHashMap<>();
        plans.stream().filter(plan -> opened.contains(plan.reservationId()))
                .forEach(plan -> charges.put(plan.reservationId(), plan.expectedCharge(pricing)));
        return charges;
    }

    /** Opened streams by how they ended. */
    public Map<Ending, Integer> endings() {
        final Map<Ending, Integer> counts = new EnumMap<>(Ending.class);
        plans.stream().filter(plan -> opened.contains(plan.reservationId()))
                .forEach(plan -> counts.merge(plan.ending(), 1, Integer::sum));
        return counts;
    }

    /** Opened streams long enough to need extends. */
    public long longStreams() {
        return plans.stream().filter(plan -> plan.longStream() && opened.contains(plan.reservationId())).count();
    }

    /** Streams whose Reserve Kafka did not take. */
    public int refused() {
        return plans.size() - opened.size();
    }
}
