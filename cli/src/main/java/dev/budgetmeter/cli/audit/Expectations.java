package dev.budgetmeter.cli.audit;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the producer side knows of its own reservations: every one of them must be settled, and, where the worker
 * priced its usage, the commands must charge exactly that. Immutable.
 *
 * @param mustSettle      reservations that must have a terminal command by now
 * @param expectedCharges per reservation, the priced usage the Commit plus its Debits must add up to (0 for a stream
 *                        with nothing billable, which must be released)
 */
public record Expectations(Set<String> mustSettle, Map<String, Long> expectedCharges) {

    private static final Expectations NONE = new Expectations(Set.of(), Map.of());

    public Expectations {
        mustSettle = Set.copyOf(mustSettle);
        expectedCharges = Map.copyOf(expectedCharges);
    }

    /** No producer-side knowledge: only the invariants that hold for any reservation at any time are checked. */
    public static Expectations none() {
        return NONE;
    }

    /** Every reservation of {@code charges} must be settled and charged its amount. */
    public static Expectations charges(final Map<String, Long> charges) {
        return new Expectations(charges.keySet(), charges);
    }

    /** Every reservation of {@code ids} must be settled; amounts are not checked. */
    public static Expectations settled(final Set<String> ids) {
        return new Expectations(ids, Map.of());
    }

    Optional<Long> chargeOf(final String reservationId) {
        return Optional.ofNullable(expectedCharges.get(reservationId));
    }
}
