package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.GAUGE;
import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.meter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.registry.internal.RegistryConnectionSettings;
import dev.budgetmeter.registry.internal.RestSchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.junit.jupiter.api.Test;

/**
 * What our serde writes to a real registry (Apicurio, ccompat v7) is what Confluent's own client
 * ({@code CachedSchemaRegistryClient} 7.5.3, relocated inside Flink's jar) and plain Avro read, and the other way
 * round.
 */
@WithKafkaStack
class ConfluentClientContractTest {

    private final String registryUrl;
    private final CachedSchemaRegistryClient confluent;
    private final String topic = "contract-" + UUID.randomUUID();

    ConfluentClientContractTest(final KafkaStack stack) {
        this.registryUrl = stack.schemaRegistryUrl();
        this.confluent = new CachedSchemaRegistryClient(registryUrl, 100);
    }

    @Test
    void confluents_client_reads_what_our_serializer_registered() throws Exception {
        final byte[] bytes = ourSerializer().serialize(topic, meter("gpu-1", 42L));
        final int id = WireFormat.schemaId(bytes);

        final String subject = topic + "-value";
        assertThat(new Schema.Parser().parse(confluent.getSchemaById(id).canonicalString())).isEqualTo(METER_V1);
        final SchemaMetadata latest = confluent.getLatestSchemaMetadata(subject);
        assertThat(latest.getId()).isEqualTo(id);
        assertThat(latest.getVersion()).isEqualTo(1);
        assertThat(confluent.getId(subject, new AvroSchema(METER_V1.toString()))).isEqualTo(id);
        assertThat(confluent.getAllSubjects()).contains(subject);
    }

    @Test
    void our_bytes_decode_by_id_with_plain_avro() throws Exception {
        final byte[] bytes = ourSerializer().serialize(topic, meter("gpu-2", 7L));

        final Schema writer = new Schema.Parser().parse(fetchSchemaTextById(WireFormat.schemaId(bytes)));
        final GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));

        assertThat(decoded).isEqualTo(meter("gpu-2", 7L));
    }

    @Test
    void our_client_reads_what_confluents_client_registered() throws Exception {
        final String subject = topic + "-gauge";
        final int id = confluent.register(subject, new AvroSchema(GAUGE.toString()));

        final RestSchemaRegistryClient ours = new RestSchemaRegistryClient(RegistryConnectionSettings.of(registryUrl));

        assertThat(ours.getById(id)).isEqualTo(GAUGE);
        assertThat(ours.lookupId(subject, GAUGE)).isEqualTo(id);
    }

    private AvroSerializer<GenericRecord> ourSerializer() {
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        return serializer;
    }

    private String fetchSchemaTextById(final int id) throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("schema").asText();
    }
}
