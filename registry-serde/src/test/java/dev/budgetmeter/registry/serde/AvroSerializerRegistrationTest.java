package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_REQUIRED_FIELD;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_WITH_DEFAULT;
import static dev.budgetmeter.registry.TestSchemas.gauge;
import static dev.budgetmeter.registry.TestSchemas.meter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.registry.CountingSchemaRegistryClient;
import dev.budgetmeter.registry.IncompatibleSchemaException;
import dev.budgetmeter.registry.SchemaMismatchException;
import dev.budgetmeter.registry.SchemaNotFoundException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerializerRegistrationTest {

    private final MockScope scope = new MockScope();

    @AfterEach
    void dropScope() {
        scope.close();
    }

    @Test
    void the_registry_is_asked_once_per_topic_and_schema_never_per_record() {
        final CountingSchemaRegistryClient registry = new CountingSchemaRegistryClient(scope.registry());
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
        serializer.configure(scope.config(), false);

        serializer.serialize("meters", meter("a", 1));
        assertThat(registry.calls()).isEqualTo(1);

        serializer.serialize("meters", meter("b", 2));
        serializer.serialize("meters", meter("c", 3));
        assertThat(registry.calls()).isEqualTo(1);

        serializer.serialize("other-meters", meter("d", 4));
        assertThat(registry.calls()).isEqualTo(2);
    }

    @Test
    void the_deserializer_fetches_each_schema_id_once() {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("a", 1));
        final CountingSchemaRegistryClient registry = new CountingSchemaRegistryClient(scope.registry());
        final AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry);
        deserializer.configure(scope.config(), false);

        deserializer.deserialize("meters", bytes);
        deserializer.deserialize("meters", bytes);

        assertThat(registry.calls()).isEqualTo(1);
    }

    @Test
    void the_configured_strategy_names_the_subject() {
        scope.serializer("value.subject.name.strategy", "TopicRecordNameStrategy").serialize("mixed", gauge(0.5));
        scope.serializer("value.subject.name.strategy", "RecordNameStrategy").serialize("mixed", gauge(0.5));
        final AvroSerializer<GenericRecord> keySerializer = new AvroSerializer<>();
        keySerializer.configure(scope.config(), true);
        keySerializer.serialize("mixed", gauge(0.5));

        assertThat(scope.registry().subjects()).containsExactly("mixed-key", "mixed-test.Gauge", "test.Gauge");
    }

    @Test
    void without_auto_register_an_unregistered_schema_is_not_found() {
        final AvroSerializer<GenericRecord> serializer = scope.serializer("auto.register.schemas", false);

        assertThatThrownBy(() -> serializer.serialize("meters", meter("a", 1)))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("meters-value");
        assertThat(scope.registry().subjects()).isEmpty();
    }

    @Test
    void without_auto_register_a_registered_schema_is_looked_up() {
        final int id = scope.registry().register("meters-value", METER_V1);

        final byte[] bytes = scope.serializer("auto.register.schemas", false).serialize("meters", meter("a", 1));

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    }

    @Test
    void use_latest_version_writes_the_latest_id_when_it_equals_the_records_schema() {
        scope.registry().register("meters-value", METER_V1);
        final int latest = scope.registry().register("meters-value", METER_V2_WITH_DEFAULT);
        final GenericRecord v2 = new GenericData.Record(METER_V2_WITH_DEFAULT);
        v2.put("name", "a");
        v2.put("reading", 1L);
        v2.put("unit", "TOKENS");

        final AvroSerializer<GenericRecord> serializer =
                scope.serializer("auto.register.schemas", false, "use.latest.version", true);

        assertThat(WireFormat.schemaId(serializer.serialize("meters", v2))).isEqualTo(latest);
        assertThatThrownBy(() -> serializer.serialize("meters", meter("b", 2)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("meters-value")
                .hasMessageContaining("use.latest.version");
    }

    @Test
    void an_incompatible_schema_is_refused_with_the_subject() {
        scope.serializer().serialize("meters", meter("a", 1));
        final GenericRecord incompatible = new GenericData.Record(METER_V2_REQUIRED_FIELD);
        incompatible.put("name", "b");
        incompatible.put("reading", 2L);
        incompatible.put("scale", 3);

        assertThatThrownBy(() -> scope.serializer().serialize("meters", incompatible))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.subject()).isEqualTo("meters-value"))
                .hasMessageContaining("409");
    }

    @Test
    void a_record_that_does_not_match_its_schema_fails_naming_it() {
        final GenericRecord missingName = new GenericData.Record(METER_V1);
        missingName.put("reading", 1L);

        assertThatThrownBy(() -> scope.serializer().serialize("meters", missingName))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("test.Meter")
                .hasMessageContaining("meters");
    }

    @Test
    void a_value_that_is_no_avro_record_is_refused() {
        assertThatThrownBy(() -> scope.<Object>serializer().serialize("meters", "plain string"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.String");
    }
}
