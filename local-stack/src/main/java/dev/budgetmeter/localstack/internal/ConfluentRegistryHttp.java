package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three calls the stack makes to a Confluent-API schema registry: is it up, set and read the global
 * compatibility. Not a registry client for applications (that is registry-serde's job).
 */
public final class ConfluentRegistryHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String JSON = "application/vnd.schemaregistry.v1+json";
    // Confluent answers GET /config with "compatibilityLevel", PUT /config with "compatibility"; accept both.
    private static final Pattern COMPATIBILITY =
            Pattern.compile("\"compatibility(?:Level)?\"\\s*:\\s*\"([A-Z_]+)\"");

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl the Confluent API base, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7} */
    public ConfluentRegistryHttp(final String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Whether {@code GET /subjects} answers 200 right now; any connection failure counts as no. */
    public boolean answers() {
        try {
            return send(request("/subjects").GET()).statusCode() == 200;
        } catch (final IOException e) {
            return false;
        }
    }

    /** Sets the global compatibility level, e.g. {@code BACKWARD}. */
    public void putGlobalCompatibility(final String level) throws IOException {
        final String body = "{\"compatibility\":\"" + level + "\"}";
        final HttpResponse<String> response = send(request("/config")
                .header("Content-Type", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new IOException("PUT " + baseUrl + "/config " + body + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** The global compatibility level as {@code GET /config} reports it. */
    public String globalCompatibility() throws IOException {
        final HttpResponse<String> response = send(request("/config").GET());
        final Matcher level = COMPATIBILITY.matcher(response.body());
        if (response.statusCode() != 200 || !level.find()) {
            throw new IOException("GET " + baseUrl + "/config answered " + response.statusCode() + ": "
                    + response.body());
        }
        return level.group(1);
    }

    private HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).header("Accept", JSON);
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + baseUrl, e);
        }
    }
}
