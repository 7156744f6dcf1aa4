package dev.budgetmeter.localstack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackOptionsTest {

    @Test
    void defaults_pick_free_ports_and_keep_topic_creation_explicit() {
        final LocalStackOptions defaults = LocalStackOptions.defaults();

        assertThat(defaults.brokerPort()).isZero();
        assertThat(defaults.controllerPort()).isZero();
        assertThat(defaults.registryPort()).isZero();
        assertThat(defaults.autoCreateTopics()).isFalse();
        assertThat(defaults.defaultPartitions()).isEqualTo(1);
        assertThat(defaults.registryStartTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withers_return_changed_copies_and_leave_the_original_alone() {
        final LocalStackOptions original = LocalStackOptions.defaults();

        final LocalStackOptions changed = original.withBrokerPort(19092).withDefaultPartitions(3)
                .withAutoCreateTopics(true).withBrokerProperty("log.retention.ms", "60000");

        assertThat(changed.brokerPort()).isEqualTo(19092);
        assertThat(changed.defaultPartitions()).isEqualTo(3);
        assertThat(changed.autoCreateTopics()).isTrue();
        assertThat(changed.extraBrokerProperties()).containsEntry("log.retention.ms", "60000");
        assertThat(original).isEqualTo(LocalStackOptions.defaults());
    }

    @Test
    void extra_broker_properties_are_copied_and_unmodifiable() {
        final Map<String, String> source = new HashMap<>(Map.of("a", "1"));
        final LocalStackOptions options = new LocalStackOptions(0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                1, false, source);

        source.put("b", "2");

        assertThat(options.extraBrokerProperties()).containsOnlyKeys("a");
        assertThatThrownBy(() -> options.extraBrokerProperties().put("c", "3"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalid_values_are_rejected_with_the_field_name() {
        final LocalStackOptions defaults = LocalStackOptions.defaults();

        assertThatThrownBy(() -> defaults.withRegistryPort(70_000)).hasMessageContaining("registryPort");
        assertThatThrownBy(() -> defaults.withBrokerPort(9092).withRegistryPort(9092))
                .hasMessageContaining("fixed ports must differ");
        assertThatThrownBy(() -> defaults.withBrokerStartTimeout(Duration.ZERO))
                .hasMessageContaining("brokerStartTimeout");
        assertThatThrownBy(() -> defaults.withDefaultPartitions(0)).hasMessageContaining("defaultPartitions");
    }
}
