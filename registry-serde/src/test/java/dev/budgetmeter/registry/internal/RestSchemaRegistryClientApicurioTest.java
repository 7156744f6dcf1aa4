package dev.budgetmeter.registry.internal;

import static dev.budgetmeter.registry.TestSchemas.GAUGE;
import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_REQUIRED_FIELD;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.registry.IncompatibleSchemaException;
import dev.budgetmeter.registry.RegisteredSchema;
import dev.budgetmeter.registry.SchemaNotFoundException;
import dev.budgetmeter.registry.SchemaRegistryRequestException;
import dev.budgetmeter.registry.TestUrls;
import dev.budgetmeter.registry.UnknownSchemaIdException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** {@link RestSchemaRegistryClient} against a real Apicurio Registry serving the Confluent API (ccompat v7). */
@WithKafkaStack
class RestSchemaRegistryClientApicurioTest {

    private final String registryUrl;
    private final RestSchemaRegistryClient client;
    private final String subject = "rest-client-" + UUID.randomUUID() + "-value";

    RestSchemaRegistryClientApicurioTest(final KafkaStack stack) {
        this.registryUrl = stack.schemaRegistryUrl();
        this.client = new RestSchemaRegistryClient(RegistryConnectionSettings.of(registryUrl));
    }

    @Test
    void a_registered_schema_reads_back_by_id_lookup_and_latest() {
        final int id = client.register(subject, METER_V1);

        assertThat(client.register(subject, METER_V1)).as("idempotent").isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(METER_V1);
        assertThat(client.lookupId(subject, METER_V1)).isEqualTo(id);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(id, 1, METER_V1));
        assertThat(client.subjects()).contains(subject);
    }

    @Test
    void clients_registering_the_same_new_schema_at_once_all_get_its_id() throws Exception {
        final int clients = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            final CyclicBarrier together = new CyclicBarrier(clients);
            final List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                ids.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return new RestSchemaRegistryClient(RegistryConnectionSettings.of(registryUrl))
                            .register(subject, METER_V1);
                }));
            }

            final Set<Integer> distinct = new HashSet<>();
            for (final Future<Integer> id : ids) {
                distinct.add(id.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).containsExactly(client.lookupId(subject, METER_V1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_compatible_second_version_becomes_latest() {
        client.register(subject, METER_V1);

        final int v2 = client.register(subject, METER_V2_WITH_DEFAULT);

        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(v2, 2, METER_V2_WITH_DEFAULT));
    }

    @Test
    void compatibility_levels_are_read_and_set_per_subject_and_globally() {
        client.register(subject, METER_V1);
        assertThat(client.compatibility(null)).as("the stack's global level").isEqualTo("BACKWARD");
        assertThat(client.compatibility("no-such-subject-" + UUID.randomUUID())).isEqualTo("BACKWARD");

        client.setCompatibility(subject, "FULL");
        assertThat(client.compatibility(subject)).isEqualTo("FULL");

        client.setCompatibility(null, "FORWARD");
        try {
            assertThat(client.compatibility(null)).isEqualTo("FORWARD");
        } finally {
            client.setCompatibility(null, "BACKWARD");
        }
    }

    @Test
    void compatibility_is_tested_against_the_latest_version() {
        client.register(subject, METER_V1);
        client.setCompatibility(subject, "BACKWARD");

        assertThat(client.testCompatibility(subject, METER_V2_WITH_DEFAULT)).isTrue();
        assertThat(client.testCompatibility(subject, METER_V2_REQUIRED_FIELD)).isFalse();
        assertThat(client.testCompatibility("no-such-subject-" + UUID.randomUUID(), GAUGE)).isTrue();
    }

    @Test
    void an_incompatible_schema_is_the_409_with_subject_and_registry_message() {
        client.register(subject, METER_V1);
        client.setCompatibility(subject, "BACKWARD");

        assertThatThrownBy(() -> client.register(subject, METER_V2_REQUIRED_FIELD))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.subject()).isEqualTo(subject);
                    assertThat(e.registryMessage()).containsIgnoringCase("incompatible");
                })
                .hasMessageContaining(subject)
                .hasMessageContaining("409");
    }

    @Test
    void an_unknown_id_is_named() {
        assertThatThrownBy(() -> client.getById(987_654_321))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class,
                        e -> assertThat(e.schemaId()).isEqualTo(987_654_321))
                .hasMessageContaining("987654321");
    }

    @Test
    void absent_subjects_and_schemas_are_not_found() {
        client.register(subject, METER_V1);

        assertThatThrownBy(() -> client.lookupId(subject, GAUGE))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining(subject);
        assertThatThrownBy(() -> client.lookupId("no-such-subject", GAUGE))
                .isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> client.latest("no-such-subject"))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("no-such-subject");
    }

    @Test
    void schema_references_are_resolved() throws Exception {
        final Schema amount = SchemaBuilder.record("Amount").namespace("test.ref").fields()
                .requiredLong("microcents").endRecord();
        final String amountSubject = "test.ref.Amount-" + UUID.randomUUID();
        client.register(amountSubject, amount);
        final String holder = "{\"type\":\"record\",\"name\":\"Holder\",\"namespace\":\"test.ref\","
                + "\"fields\":[{\"name\":\"amount\",\"type\":\"test.ref.Amount\"}]}";

        final int holderId = registerWithReference(holder, "test.ref.Amount", amountSubject);

        final Schema resolved = client.getById(holderId);
        assertThat(resolved.getFullName()).isEqualTo("test.ref.Holder");
        assertThat(resolved.getField("amount").schema()).isEqualTo(amount);
    }

    @Test
    void a_wrong_base_url_is_a_refused_request_not_an_unknown_id() {
        final String withoutApiPath = registryUrl.substring(0, registryUrl.indexOf("/apis/"));
        final RestSchemaRegistryClient misconfigured =
                new RestSchemaRegistryClient(RegistryConnectionSettings.of(withoutApiPath));

        assertThatThrownBy(() -> misconfigured.getById(1))
                .isInstanceOfSatisfying(SchemaRegistryRequestException.class,
                        e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining(withoutApiPath + "/schemas/ids/1");
    }

    @Test
    void a_dead_first_url_fails_over_to_the_live_registry() {
        final RestSchemaRegistryClient failingOver =
                new RestSchemaRegistryClient(
                        RegistryConnectionSettings.of(TestUrls.refusingConnections(), registryUrl));

        final int id = failingOver.register(subject, METER_V1);

        assertThat(client.getById(id)).isEqualTo(METER_V1);
    }

    /** Registers a schema with a reference by plain HTTP: our client never sends references itself. */
    private int registerWithReference(final String schema, final String name, final String referencedSubject)
            throws IOException, InterruptedException {
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode body = json.createObjectNode().put("schema", schema);
        body.putArray("references").addObject()
                .put("name", name).put("subject", referencedSubject).put("version", 1);
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("id").asInt();
    }
}
