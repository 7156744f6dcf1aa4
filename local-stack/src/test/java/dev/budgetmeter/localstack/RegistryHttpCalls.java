package dev.budgetmeter.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw Confluent-API calls for the stack's tests (the real client lives in registry-serde). */
final class RegistryHttpCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JSON = "application/vnd.schemaregistry.v1+json";

    private RegistryHttpCalls() {
    }

    static HttpResponse<String> get(final String url) throws IOException, InterruptedException {
        return HTTP.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers an Avro schema under {@code subject}; 200 with the id, or 409 if incompatible. */
    static HttpResponse<String> register(final String registryUrl, final String subject, final String avroSchema)
            throws IOException, InterruptedException {
        final String body = "{\"schema\":\"" + avroSchema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return HTTP.send(request(registryUrl + "/subjects/" + subject + "/versions")
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(final String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Accept", JSON);
    }
}
