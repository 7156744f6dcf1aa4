package dev.budgetmeter.registry;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_REQUIRED_FIELD;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {

    /** v1 without the reading field: new readers (v1) cannot fill it, old readers drop nothing they need. */
    private static final Schema METER_WITHOUT_READING = SchemaBuilder.record("Meter").namespace("test").fields()
            .requiredString("name")
            .endRecord();

    /** v1 with a default on reading: reads data without it. */
    private static final Schema METER_READING_DEFAULTED = SchemaBuilder.record("Meter").namespace("test").fields()
            .requiredString("name")
            .name("reading").type().longType().longDefault(0)
            .endRecord();

    @Test
    void backward_means_the_new_schema_reads_old_data() {
        assertThat(CompatibilityLevel.BACKWARD.violations(METER_V2_WITH_DEFAULT, List.of(METER_V1))).isEmpty();
        assertThat(CompatibilityLevel.BACKWARD.violations(METER_V2_REQUIRED_FIELD, List.of(METER_V1)))
                .singleElement().asString().contains("new schema cannot read old data", "scale");
    }

    @Test
    void forward_means_old_schemas_read_new_data() {
        assertThat(CompatibilityLevel.FORWARD.violations(METER_V2_REQUIRED_FIELD, List.of(METER_V1))).isEmpty();
        assertThat(CompatibilityLevel.FORWARD.violations(METER_WITHOUT_READING, List.of(METER_V1)))
                .singleElement().asString().contains("old schema cannot read new data", "reading");
    }

    @Test
    void full_needs_both_and_none_needs_nothing() {
        assertThat(CompatibilityLevel.FULL.violations(METER_V2_WITH_DEFAULT, List.of(METER_V1))).isEmpty();
        assertThat(CompatibilityLevel.FULL.violations(METER_V2_REQUIRED_FIELD, List.of(METER_V1))).hasSize(1);
        assertThat(CompatibilityLevel.NONE.violations(METER_WITHOUT_READING, List.of(METER_V1))).isEmpty();
    }

    @Test
    void only_transitive_levels_check_older_versions_than_the_latest() {
        final List<Schema> history = List.of(METER_V1, METER_READING_DEFAULTED);

        assertThat(CompatibilityLevel.FORWARD.violations(METER_WITHOUT_READING, history)).isEmpty();
        assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.violations(METER_WITHOUT_READING, history))
                .singleElement().asString().contains("reading");
    }

    @Test
    void levels_parse_case_insensitively() {
        assertThat(CompatibilityLevel.parse(" backward_transitive ")).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
    }
}
