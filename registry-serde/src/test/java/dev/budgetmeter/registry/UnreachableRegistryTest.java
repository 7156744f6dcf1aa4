package dev.budgetmeter.registry;

import static dev.budgetmeter.registry.TestSchemas.meter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.registry.serde.AvroDeserializer;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.registry.serde.AvroSerializer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * A registry nobody answers at: the serde must fail with {@link SchemaRegistryUnavailableException} (which a
 * consumer retries on instead of dead-lettering), name the URLs, and give up within its configured bound.
 */
class UnreachableRegistryTest {

    @Test
    void the_serializer_fails_naming_every_url_after_the_configured_attempts() {
        final String first = TestUrls.refusingConnections();
        final String second = TestUrls.refusingConnections();
        final Map<String, Object> config = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, first + "," + second,
                AvroSerdeConfig.MAX_RETRIES_CONFIG, 2,
                AvroSerdeConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        final Duration bound = new AvroSerdeConfig(config).connectionSettings().worstCaseCallDuration();
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        final long start = System.nanoTime();

        assertThatThrownBy(() -> serializer.serialize("meters", meter("a", 1)))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                    assertThat(e.urlsTried()).containsExactly(first, second);
                    assertThat(e.attempts()).isEqualTo(3);
                })
                .hasMessageContaining(first)
                .hasMessageContaining(second)
                .hasMessageContaining("ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
    }

    @Test
    void the_deserializer_fails_as_unavailable_not_as_bad_input() {
        final AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, TestUrls.refusingConnections(),
                AvroSerdeConfig.MAX_RETRIES_CONFIG, 0), false);

        assertThatThrownBy(() -> deserializer.deserialize("meters", new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
    }
}
