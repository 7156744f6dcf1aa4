package dev.budgetmeter.registry;

import static dev.budgetmeter.registry.TestSchemas.GAUGE;
import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_REQUIRED_FIELD;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private final String scope = "mock-test-" + UUID.randomUUID();
    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.drop(scope);
    }

    @Test
    void one_instance_per_scope_until_dropped() {
        assertThat(MockSchemaRegistry.forScope(scope)).isSameAs(registry);

        MockSchemaRegistry.drop(scope);

        final MockSchemaRegistry fresh = MockSchemaRegistry.forScope(scope);
        assertThat(fresh).isNotSameAs(registry);
        assertThat(fresh.subjects()).isEmpty();
    }

    @Test
    void registering_is_idempotent_and_ids_are_shared_across_subjects() {
        final int id = registry.register("a-value", METER_V1);

        assertThat(registry.register("a-value", METER_V1)).isEqualTo(id);
        assertThat(registry.register("b-value", METER_V1)).isEqualTo(id);
        assertThat(registry.register("c-value", GAUGE)).isNotEqualTo(id);
        assertThat(registry.getById(id)).isEqualTo(METER_V1);
        assertThat(registry.subjects()).containsExactly("a-value", "b-value", "c-value");
    }

    @Test
    void latest_is_the_newest_version_counting_from_one() {
        final int v1 = registry.register("meter-value", METER_V1);
        final int v2 = registry.register("meter-value", METER_V2_WITH_DEFAULT);

        assertThat(registry.latest("meter-value")).isEqualTo(new RegisteredSchema(v2, 2, METER_V2_WITH_DEFAULT));
        assertThat(registry.lookupId("meter-value", METER_V1)).isEqualTo(v1);
    }

    @Test
    void default_level_is_backward_and_rejects_a_required_field_without_default() {
        registry.register("meter-value", METER_V1);

        assertThat(registry.compatibility(null)).isEqualTo("BACKWARD");
        assertThat(registry.compatibility("meter-value")).isEqualTo("BACKWARD");
        assertThat(registry.testCompatibility("meter-value", METER_V2_REQUIRED_FIELD)).isFalse();
        assertThatThrownBy(() -> registry.register("meter-value", METER_V2_REQUIRED_FIELD))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.subject()).isEqualTo("meter-value"))
                .hasMessageContaining("meter-value")
                .hasMessageContaining("scale");
    }

    @Test
    void subject_level_overrides_the_global_one() {
        registry.register("meter-value", METER_V1);

        registry.setCompatibility("meter-value", "none");

        assertThat(registry.compatibility("meter-value")).isEqualTo("NONE");
        assertThat(registry.compatibility(null)).isEqualTo("BACKWARD");
        assertThat(registry.register("meter-value", METER_V2_REQUIRED_FIELD)).isPositive();
    }

    @Test
    void an_unknown_level_is_refused_naming_the_valid_ones() {
        assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIDEWAYS")
                .hasMessageContaining("FULL_TRANSITIVE");
    }

    @Test
    void misses_raise_the_precise_exceptions() {
        registry.register("meter-value", METER_V1);

        assertThatThrownBy(() -> registry.getById(999))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(999))
                .hasMessageContaining("999");
        assertThatThrownBy(() -> registry.lookupId("meter-value", GAUGE))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("meter-value");
        assertThatThrownBy(() -> registry.latest("nobody-value"))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("nobody-value");
        assertThat(registry.testCompatibility("nobody-value", GAUGE)).isTrue();
    }
}
