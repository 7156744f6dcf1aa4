package dev.budgetmeter.producer;

import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.producer.internal.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * A Cycles server as the budget authority of a meter ({@link BudgetMeter.Builder#cycles}): {@link BudgetMeter#open}
 * reserves through its API ({@code POST /v1/reservations} with the API key, an idempotency key derived from the
 * reservation, subject, action, estimate, ttl, grace period and overage policy) before it writes the Reserve, which
 * then carries the server's reservation id, expiry and caps. The worker holds no heartbeat and no commit logic: the
 * topology extends and settles, and the relay applies that to the server. Immutable.
 *
 * <p>Defaults: connect timeout 2 s, request timeout 5 s; the whole reserve, retries included, is bounded by the
 * meter's {@linkplain BudgetMeter.Builder#decisionTimeout decision timeout}.
 */
public final class CyclesAuthority {

    private final URI url;
    private final Secret apiKey;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private CyclesAuthority(final URI url, final Secret apiKey, final Duration connectTimeout,
                            final Duration requestTimeout) {
        this.url = url;
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The server at {@code url} (for example {@code http://cycles:7878}) with the tenant's API key.
     *
     * @throws IllegalArgumentException when the URL is not http(s) or the key is blank
     */
    public static CyclesAuthority at(final URI url, final String apiKey) {
        Checks.required("url", url);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("the Cycles URL must be http:// or https://, was " + url);
        }
        return new CyclesAuthority(url, Secret.of(apiKey), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** Bound on opening a connection; 2 s by default. */
    public CyclesAuthority connectTimeout(final Duration timeout) {
        return new CyclesAuthority(url, apiKey, Checks.millisRange("connectTimeout", timeout, 1, Integer.MAX_VALUE),
                requestTimeout);
    }

    /** Bound on one request; 5 s by default. A request without an answer is sent again under the same key. */
    public CyclesAuthority requestTimeout(final Duration timeout) {
        return new CyclesAuthority(url, apiKey, connectTimeout,
                Checks.millisRange("requestTimeout", timeout, 1, Integer.MAX_VALUE));
    }

    public URI url() {
        return url;
    }

    Secret apiKey() {
        return apiKey;
    }

    Duration connectTimeoutValue() {
        return connectTimeout;
    }

    Duration requestTimeoutValue() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "CyclesAuthority{" + url + ", apiKey=" + apiKey + '}';
    }
}
