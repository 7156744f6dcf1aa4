package dev.budgetmeter.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Time;

/**
 * Sends one registry request with failover over the configured URLs, bounded timeouts and a bounded number of
 * retries. Connection failures, timeouts, 5xx, 408 and 429 move on to the next URL; any other answer is returned.
 * The URL that last answered is tried first next time, so a dead first URL costs one failed attempt, not one per call.
 */
final class FailoverHttpTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json,"
            + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final RegistryConnectionSettings settings;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Time time;
    private final AtomicInteger preferredUrl = new AtomicInteger();

    FailoverHttpTransport(final RegistryConnectionSettings settings, final ObjectMapper json, final Time time) {
        this.settings = settings;
        this.authorization = settings.basicAuthUserInfo().map(userInfo -> "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        // HTTP/1.1 because an h2c upgrade attempt on every new connection buys nothing for small JSON calls.
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.json = json;
        this.time = time;
    }

    /**
     * Sends {@code method path} with an optional JSON body.
     *
     * @throws SchemaRegistryUnavailableException when every attempt failed
     */
    RegistryResponse send(final String method, final String path, final JsonNode body) {
        final List<URI> urls = settings.urls();
        final int attempts = settings.maxRetries() + 1;
        final int first = preferredUrl.get();
        final long start = time.milliseconds();
        final List<String> tried = new ArrayList<>();
        String lastFailure = "none";
        Throwable lastCause = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                time.sleep(settings.backoffBeforeRetry(attempt).toMillis());
            }
            final int index = (first + attempt) % urls.size();
            final URI url = URI.create(stripTrailingSlash(urls.get(index)) + path);
            final String request = method + " " + url;
            if (!tried.contains(urls.get(index).toString())) {
                tried.add(urls.get(index).toString());
            }
            try {
                final HttpResponse<String> response =
                        http.send(request(url, method, body), HttpResponse.BodyHandlers.ofString());
                if (!isRetriable(response.statusCode())) {
                    preferredUrl.set(index);
                    return new RegistryResponse(request, response.statusCode(), parse(response.body()),
                            response.body());
                }
                lastFailure = request + " answered HTTP " + response.statusCode() + ": " + response.body();
                lastCause = null;
            } catch (final IOException e) {
                lastFailure = request + " failed: " + describe(e);
                lastCause = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException(
                        tried, attempt + 1, time.milliseconds() - start, "interrupted during " + request, e);
            }
            preferredUrl.compareAndSet(index, (index + 1) % urls.size());
        }
        throw new SchemaRegistryUnavailableException(
                tried, attempts, time.milliseconds() - start, lastFailure, lastCause);
    }

    private HttpRequest request(final URI url, final String method, final JsonNode body) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private JsonNode parse(final String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (final JsonProcessingException e) {
            // Proxies and some registry errors answer in plain text; the raw body still reaches the message.
            return MissingNode.getInstance();
        }
    }

    private static boolean isRetriable(final int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static String stripTrailingSlash(final URI url) {
        final String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String describe(final Throwable e) {
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
