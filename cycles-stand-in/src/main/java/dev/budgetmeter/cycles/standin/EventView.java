package dev.budgetmeter.cycles.standin;

import java.util.Map;

/**
 * A direct-debit event the stand-in applied.
 *
 * @param eventId        its id
 * @param idempotencyKey the key it was created under
 * @param tenant         the tenant of the API key
 * @param actual         what was asked
 * @param charged        what was charged
 * @param metadata       the request's metadata, as strings
 */
public record EventView(String eventId, String idempotencyKey, String tenant, long actual, long charged,
                        Map<String, String> metadata) {
}
