package dev.budgetmeter.cycles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends one request to a Cycles server's runtime API and returns its answer: bounded by the connect and request
 * timeouts, with the tenant's API key ({@code X-Cycles-API-Key}) and the idempotency key in the header as in the
 * body. It never retries (see {@link RetryLoop}) and never logs; thread-safe, one per server.
 */
public final class CyclesClient {

    /** The header the protocol authenticates with. */
    public static final String API_KEY_HEADER = "X-Cycles-API-Key";
    /** The optional header copy of the body's idempotency key (the server checks that both match). */
    public static final String IDEMPOTENCY_KEY_HEADER = "X-Idempotency-Key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final ApiKeys keys;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param baseUrl        the server, for example {@code http://cycles:7878}; the paths {@code /v1/...} are appended
     * @param connectTimeout bound on opening a connection
     * @param requestTimeout bound on one request, from sending it to reading the whole answer
     */
    public CyclesClient(final URI baseUrl, final ApiKeys keys, final Duration connectTimeout,
                        final Duration requestTimeout) {
        final String url = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"http".equals(this.baseUrl.getScheme()) && !"https".equals(this.baseUrl.getScheme())) {
            throw new IllegalArgumentException("the Cycles URL must be http:// or https://, was " + baseUrl);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The server's base URL, for messages. */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Sends the request once.
     *
     * @throws CyclesUnreachableException when no answer came (connection refused or reset, timeout), naming the URL
     */
    public CyclesResponse send(final CyclesRequest request) {
        final URI target = baseUrl.resolve(baseUrl.getPath() + request.operation().path(request.reservationId()));
        final HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(IDEMPOTENCY_KEY_HEADER, request.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(request.body().toString()));
        keys.forTenant(request.tenant()).ifPresent(key -> builder.header(API_KEY_HEADER, key.reveal()));
        final long started = System.nanoTime();
        try {
            final HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new CyclesResponse(response.statusCode(), parse(response.body()),
                    retryAfter(response.headers().firstValue("Retry-After")),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (final HttpTimeoutException e) {
            throw new CyclesUnreachableException("no answer from " + target + " within " + requestTimeout + " to "
                    + request.describe(), e);
        } catch (final IOException e) {
            throw new CyclesUnreachableException("cannot reach the Cycles server at " + target + " for "
                    + request.describe() + ": " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CyclesUnreachableException("interrupted while waiting for " + target, e);
        }
    }

    private static JsonNode parse(final String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (final IOException notJson) {
            return null;
        }
    }

    /** The protocol allows only delta-seconds; an HTTP-date or a negative value counts as none. */
    static Optional<Duration> retryAfter(final Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            final long seconds = Long.parseLong(header.get().strip());
            return seconds < 0 || seconds > Duration.ofDays(1).toSeconds() ? Optional.empty()
                    : Optional.of(Duration.ofSeconds(seconds));
        } catch (final NumberFormatException notDeltaSeconds) {
            return Optional.empty();
        }
    }
}
