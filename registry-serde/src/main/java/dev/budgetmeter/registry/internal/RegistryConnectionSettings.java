package dev.budgetmeter.registry.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a registry over HTTP: base URLs in failover order (without credentials), optional basic-auth
 * {@code user:password}, and the bounds on every call.
 *
 * <p>A call sends at most {@code 1 + maxRetries} requests, each bounded by {@code connectTimeout} to connect and
 * {@code requestTimeout} to answer, with a backoff between them that doubles from {@code retryBackoff} up to
 * {@code retryBackoffMax}; {@link #worstCaseCallDuration()} is the resulting bound. Equal settings may share one
 * client. {@link #toString()} never shows the password.
 */
public record RegistryConnectionSettings(
        List<URI> urls,
        Optional<String> basicAuthUserInfo,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration retryBackoffMax) {

    /** Default bound on establishing a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default bound on one request, from sending it to reading the whole answer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default number of retries after the first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Default backoff before the first retry. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    /** Default cap on the doubling backoff. */
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(2);

    public RegistryConnectionSettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is needed");
        }
        for (final URI url : urls) {
            if (url.getUserInfo() != null) {
                throw new IllegalArgumentException("pass credentials as basicAuthUserInfo, not in the URL");
            }
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("registry URL must be http or https: " + url);
            }
        }
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(retryBackoffMax, "retryBackoffMax");
    }

    /** Settings with default bounds and no credentials. */
    public static RegistryConnectionSettings of(final String... urls) {
        return new RegistryConnectionSettings(
                List.of(urls).stream().map(URI::create).toList(),
                Optional.empty(),
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_RETRIES,
                DEFAULT_RETRY_BACKOFF,
                DEFAULT_RETRY_BACKOFF_MAX);
    }

    /** A copy with other timeouts. */
    public RegistryConnectionSettings withTimeouts(final Duration connect, final Duration request) {
        return new RegistryConnectionSettings(
                urls, basicAuthUserInfo, connect, request, maxRetries, retryBackoff, retryBackoffMax);
    }

    /** A copy with another retry policy. */
    public RegistryConnectionSettings withRetries(final int retries, final Duration backoff, final Duration max) {
        return new RegistryConnectionSettings(
                urls, basicAuthUserInfo, connectTimeout, requestTimeout, retries, backoff, max);
    }

    /** The backoff before retry number {@code retry} (from 1): doubling, capped. */
    public Duration backoffBeforeRetry(final int retry) {
        final long doubled = retryBackoff.toMillis() << Math.min(retry - 1, 20);
        return Duration.ofMillis(Math.min(doubled, retryBackoffMax.toMillis()));
    }

    /** The longest one client call can take before it gives up. */
    public Duration worstCaseCallDuration() {
        Duration total = connectTimeout.plus(requestTimeout).multipliedBy(maxRetries + 1L);
        for (int retry = 1; retry <= maxRetries; retry++) {
            total = total.plus(backoffBeforeRetry(retry));
        }
        return total;
    }

    @Override
    public String toString() {
        return "RegistryConnectionSettings[urls=" + urls
                + ", basicAuth=" + basicAuthUserInfo.map(u -> u.split(":", 2)[0] + ":***").orElse("none")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff
                + ", retryBackoffMax=" + retryBackoffMax + "]";
    }

    private static void requirePositive(final Duration duration, final String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
