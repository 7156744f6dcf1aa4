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
 * @param quiescent       whether nothing was in flight when the topics were read, so that every budget's reserved
 *                        amount must be the estimates of the holds still open on it
 * @param budgetCharges   per budget ({@code <scope>|<unit>}), what the workers priced of the reservations the
 *                        ledger held on it: its spent plus debt must be that (at most that when it is over its
 *                        limit, where the protocol caps a charge to what remained)
 */
public record Expectations(Set<String> mustSettle, Map<String, Long> expectedCharges, boolean quiescent,
                           Map<String, Long> budgetCharges) {

    private static final Expectations NONE = new Expectations(Set.of(), Map.of(), false, Map.of());

    public Expectations {
        mustSettle = Set.copyOf(mustSettle);
        expectedCharges = Map.copyOf(expectedCharges);
        budgetCharges = Map.copyOf(budgetCharges);
    }

    /** No producer-side knowledge: only the invariants that hold for any reservation at any time are checked. */
    public static Expectations none() {
        return NONE;
    }

    /** Every reservation of {@code charges} must be settled and charged its amount; nothing is in flight. */
    public static Expectations charges(final Map<String, Long> charges) {
        return new Expectations(charges.keySet(), charges, true, Map.of());
    }

    /** Every reservation of {@code ids} must be settled, nothing is in flight; amounts are not checked. */
    public static Expectations settled(final Set<String> ids) {
        return new Expectations(ids, Map.of(), true, Map.of());
    }

    /** These expectations, and every budget of {@code charges} must have spent plus debt as given. */
    public Expectations withBudgetCharges(final Map<String, Long> charges) {
        return new Expectations(mustSettle, expectedCharges, quiescent, charges);
    }

    Optional<Long> chargeOf(final String reservationId) {
        return Optional.ofNullable(expectedCharges.get(reservationId));
    }
}
