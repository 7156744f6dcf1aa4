package dev.budgetmeter.relay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.Backoff;
import dev.budgetmeter.cycles.CyclesClient;
import dev.budgetmeter.cycles.CyclesOperation;
import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.cycles.standin.CyclesStandIn;
import java.time.Clock;
import java.time.Duration;

/**
 * The relay's applier against a Cycles stand-in on real HTTP: a funded tenant, a reservation opened through the
 * API as a worker would, and an applier with short timeouts and backoffs so that retries take milliseconds.
 */
final class StandInRig implements AutoCloseable {

    static final String API_KEY = "key-acme-1";
    static final long FUNDS = 1_000_000_000L;

    final CyclesStandIn server = CyclesStandIn.start().apiKey(Commands.TENANT, API_KEY)
            .budget("tenant:" + Commands.TENANT, "USD_MICROCENTS", FUNDS);
    final RelayMetrics metrics = new RelayMetrics();

    /** An applier with the one API key, fast retries and a 2 s request timeout. */
    CommandApplier applier() {
        return applier(ApiKeys.single(Secret.of(API_KEY)), RetryLoop.Sleeper.THREAD);
    }

    CommandApplier applier(final ApiKeys keys, final RetryLoop.Sleeper sleeper) {
        final CyclesClient client = new CyclesClient(server.url(), keys, Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new CommandApplier(new RetryLoop(client, sleeper), new RelayRetryPolicy(
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofMillis(100)), metrics,
                Clock.systemUTC(), CommandApplier.DEFAULT_EVENT_KEY_WINDOW);
    }

    /** Reserves {@code estimate} for 60 s through the API; returns the server's reservation id. */
    String reserve(final String clientKey, final long estimate) throws InterruptedException {
        final ObjectNode body = JsonNodeFactory.instance.objectNode().put("idempotency_key", clientKey + ":reserve");
        body.set("subject", dev.budgetmeter.cycles.CyclesJson.subject(Commands.subject()));
        body.set("action", dev.budgetmeter.cycles.CyclesJson.action(Commands.action()));
        body.set("estimate", dev.budgetmeter.cycles.CyclesJson.amount(Commands.microcents(estimate)));
        body.put("ttl_ms", 60_000).put("grace_period_ms", 5_000);
        final CyclesClient client = new CyclesClient(server.url(), ApiKeys.single(Secret.of(API_KEY)),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        return client.send(new CyclesRequest(CyclesOperation.RESERVE, null, Commands.TENANT, clientKey + ":reserve",
                body)).body().path("reservation_id").asText();
    }

    /** What the tenant's budget has been charged so far, on the server's books. */
    long spent() {
        return server.balance("tenant:" + Commands.TENANT, "USD_MICROCENTS").path("spent").path("amount").asLong();
    }

    @Override
    public void close() {
        server.close();
    }
}
