package dev.budgetmeter.registry.internal;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.registry.TestUrls;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a real registry cannot be made to do: die behind a failover list, answer 5xx, hang, or check basic auth.
 * Everything else about {@link RestSchemaRegistryClient} is tested against a real Apicurio.
 */
class RestSchemaRegistryClientStubTest {

    private static final Duration BACKOFF = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofMillis(150);

    private final Queue<Integer> statusesToAnswer = new ArrayDeque<>();
    private final Queue<HttpExchangeRecord> received = new ConcurrentLinkedQueue<>();
    private final SteppingTime time = new SteppingTime();
    private HttpServer stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::answer);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    @Test
    void a_dead_first_url_fails_over_and_is_not_tried_first_again() {
        final RestSchemaRegistryClient client =
                new RestSchemaRegistryClient(settings(TestUrls.refusingConnections(), stubUrl()), time);

        assertThat(client.getById(1)).isEqualTo(METER_V1);
        assertThat(time.sleeps()).containsExactly(BACKOFF.toMillis());

        assertThat(client.getById(1)).isEqualTo(METER_V1);
        assertThat(time.sleeps()).as("no retry: the live URL is now tried first").hasSize(1);
        assertThat(received).hasSize(2);
    }

    @Test
    void server_errors_are_retried_with_doubling_capped_backoff() {
        statusesToAnswer.addAll(List.of(503, 500));
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings(stubUrl()), time);

        assertThat(client.getById(1)).isEqualTo(METER_V1);

        assertThat(received).hasSize(3);
        assertThat(time.sleeps()).containsExactly(100L, 150L);
    }

    @Test
    void persistent_server_errors_make_the_registry_unavailable_naming_the_url() {
        statusesToAnswer.addAll(List.of(503, 503, 503, 503));
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings(stubUrl()), time);

        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                    assertThat(e.urlsTried()).containsExactly(stubUrl());
                    assertThat(e.attempts()).isEqualTo(3);
                })
                .hasMessageContaining(stubUrl())
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void a_registry_that_never_answers_is_given_up_on_within_the_bound() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final String url = "http://127.0.0.1:" + silent.getLocalPort();
            final RegistryConnectionSettings settings = RegistryConnectionSettings.of(url)
                    .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400))
                    .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10));
            final RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings, Time.SYSTEM);
            final long start = System.nanoTime();

            assertThatThrownBy(() -> client.subjects())
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("2 attempt(s)")
                    .hasMessageContaining("HttpTimeoutException");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(800))
                    .isLessThan(settings.worstCaseCallDuration().plusSeconds(1));
        }
    }

    @Test
    void credentials_in_the_url_are_sent_as_basic_auth_with_the_registry_content_type() {
        final AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                stubUrl().replace("http://", "http://alice:s3cret@")));
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(config.connectionSettings(), time);

        client.register("meter-value", METER_V1);

        final HttpExchangeRecord request = received.remove();
        assertThat(request.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.body()).contains("Meter");
    }

    @Test
    void user_info_credentials_are_sent_as_basic_auth() {
        final AvroSerdeConfig config = new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stubUrl(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "bob:pw"));

        new RestSchemaRegistryClient(config.connectionSettings(), time).getById(1);

        assertThat(received.remove().authorization())
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
    }

    /** Answers the queued statuses first, then a registry's answers for get-by-id and register. */
    private void answer(final HttpExchange exchange) throws IOException {
        final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new HttpExchangeRecord(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        final Integer status = statusesToAnswer.poll();
        if (status != null) {
            respond(exchange, status, "{\"error_code\":" + status + "01,\"message\":\"stub failure\"}");
        } else if (exchange.getRequestURI().getPath().startsWith("/schemas/ids/")) {
            respond(exchange, 200, new ObjectMapper().createObjectNode().put("schema", METER_V1.toString()).toString());
        } else {
            respond(exchange, 200, "{\"id\":1}");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String json) throws IOException {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private RegistryConnectionSettings settings(final String... urls) {
        return RegistryConnectionSettings.of(urls)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withRetries(2, BACKOFF, BACKOFF_MAX);
    }

    private String stubUrl() {
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private record HttpExchangeRecord(String authorization, String contentType, String body) {
    }
}
