package dev.budgetmeter.localstack.junit;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackProviderTest {

    private static final UnaryOperator<String> NOTHING_SET = name -> null;
    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier DOCKER_MUST_NOT_BE_PROBED = () -> {
        throw new AssertionError("Docker was probed although an earlier rule decides");
    };

    @Test
    void external_cluster_wins_when_both_variables_are_set() {
        final UnaryOperator<String> environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "SCHEMA_REGISTRY_URL", "http://registry:8081")::get;

        assertThat(StackProvider.choose(NOTHING_SET, environment, DOCKER_MUST_NOT_BE_PROBED))
                .isEqualTo(StackProvider.EXTERNAL);
    }

    @Test
    void one_variable_alone_does_not_select_the_external_cluster() {
        final UnaryOperator<String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")::get;

        assertThat(StackProvider.choose(NOTHING_SET, environment, NO_DOCKER)).isEqualTo(StackProvider.LOCAL);
    }

    @Test
    void testcontainers_when_docker_is_available_and_no_external_cluster() {
        assertThat(StackProvider.choose(NOTHING_SET, NOTHING_SET, DOCKER)).isEqualTo(StackProvider.TESTCONTAINERS);
    }

    @Test
    void local_stack_when_neither_external_cluster_nor_docker() {
        assertThat(StackProvider.choose(NOTHING_SET, NOTHING_SET, NO_DOCKER)).isEqualTo(StackProvider.LOCAL);
    }

    @Test
    void override_property_forces_a_provider_before_any_other_rule() {
        final UnaryOperator<String> properties = Map.of(StackProvider.OVERRIDE_PROPERTY, " Local ")::get;
        final UnaryOperator<String> environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "SCHEMA_REGISTRY_URL", "http://registry:8081")::get;

        assertThat(StackProvider.choose(properties, environment, DOCKER_MUST_NOT_BE_PROBED))
                .isEqualTo(StackProvider.LOCAL);
    }

    @Test
    void override_environment_variable_works_too() {
        final UnaryOperator<String> environment = Map.of(StackProvider.OVERRIDE_ENV, "testcontainers")::get;

        assertThat(StackProvider.choose(NOTHING_SET, environment, DOCKER_MUST_NOT_BE_PROBED))
                .isEqualTo(StackProvider.TESTCONTAINERS);
    }

    @Test
    void unknown_override_names_the_allowed_values() {
        final UnaryOperator<String> properties = Map.of(StackProvider.OVERRIDE_PROPERTY, "kubernetes")::get;

        assertThatThrownBy(() -> StackProvider.choose(properties, NOTHING_SET, NO_DOCKER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local, testcontainers, external")
                .hasMessageContaining("kubernetes");
    }
}
