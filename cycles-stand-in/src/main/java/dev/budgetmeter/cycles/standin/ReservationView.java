package dev.budgetmeter.cycles.standin;

/**
 * A reservation as the stand-in holds it, for a test to assert on.
 *
 * @param finalizations how many times it reached a terminal state: 1 once settled; more would be a double settlement
 */
public record ReservationView(String id, String tenant, ReservationState state, String unit, long estimate,
                              long charged, int extensions, long expiresAtMs, int finalizations) {
}
