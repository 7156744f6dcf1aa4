package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Building a meter contacts nothing: these run without a broker. */
class BudgetMeterBuilderTest {

    // Nothing listens there; build() and close() must not need it.
    private static final String NOWHERE = "127.0.0.1:9";

    private static BudgetMeter.Builder valid() {
        return BudgetMeter.builder().bootstrapServers(NOWHERE).schemaRegistryUrl("http://127.0.0.1:9")
                .workerId("builder-test");
    }

    @Test
    void builds_without_contacting_kafka_and_names_the_topic_from_the_registry() {
        try (BudgetMeter meter = valid().build()) {
            assertThat(meter.topic()).isEqualTo(Topics.STREAM_EVENTS.name(Topics.DEFAULT_PREFIX));
            assertThat(meter.workerId()).isEqualTo("builder-test");
            assertThat(meter.metrics()).isEqualTo(new MeterMetrics(0, 0, 0, 0, 0, 0, 0, 0));
            assertThat(meter.producerMetrics()).isNotEmpty();
        }
    }

    @Test
    void uses_the_topic_prefix_and_a_default_worker_id() {
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(NOWHERE).schemaRegistryUrl("http://x:1")
                .topicPrefix("staging.").build()) {
            assertThat(meter.topic()).isEqualTo(Topics.STREAM_EVENTS.name("staging."));
            assertThat(meter.workerId()).endsWith("-" + ProcessHandle.current().pid());
        }
    }

    @Test
    void names_a_missing_connection_setting() {
        assertThatThrownBy(() -> BudgetMeter.builder().schemaRegistryUrl("http://x:1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> BudgetMeter.builder().bootstrapServers(NOWHERE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schemaRegistryUrl");
    }

    @Test
    void refuses_to_override_what_the_guarantees_rest_on() {
        assertThatThrownBy(() -> valid().producerProperty("acks", "1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
        assertThatThrownBy(() -> valid().producerProperty("enable.idempotence", false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence");
        assertThatThrownBy(() -> valid().producerProperty("max.in.flight.requests.per.connection", 6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 5");
    }

    @Test
    void passes_other_producer_and_serde_properties_through() {
        try (BudgetMeter meter = valid().producerProperty("client.id", "custom-client")
                .serdeProperty("basic.auth.credentials.source", "USER_INFO")
                .serdeProperty("basic.auth.user.info", "user:secret").build()) {
            assertThat(meter.producerMetrics().keySet())
                    .anyMatch(name -> "custom-client".equals(name.tags().get("client-id")));
        }
    }

    @Test
    void shows_the_producer_config_it_would_use_without_building() {
        final Map<String, Object> config = valid().producerProperty("linger.ms", 5)
                .blockTimeout(Duration.ofSeconds(3)).producerConfig();

        assertThat(config).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, NOWHERE)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000L)
                .doesNotContainKeys(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        assertThatThrownBy(() -> config.put("acks", "1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> valid().producerProperty("acks", "1").producerConfig())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    }

    @Test
    void reports_a_configuration_kafka_or_the_serde_refuse_as_illegal_argument() {
        assertThatThrownBy(() -> valid().serdeProperty("basic.auth.credentials.source", "USER_INFO").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> valid().producerProperty("compression.type", "brotli").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compression.type");
    }

    @Test
    void checks_the_bounds_and_coalescing_settings() {
        assertThatThrownBy(() -> valid().deliveryTimeout(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryTimeout");
        assertThatThrownBy(() -> valid().blockTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockTimeout");
        assertThatThrownBy(() -> valid().chunkInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkInterval");
        assertThatThrownBy(() -> valid().chunkTokenThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkTokenThreshold");
    }

    @Test
    void refuses_to_open_after_close() {
        final BudgetMeter meter = valid().build();
        meter.close(Duration.ofSeconds(5));

        assertThatThrownBy(() -> meter.open(StreamReservation.builder().subject(Subject.tenant("acme"))
                .action("llm.completion", "gpt-4o").estimate(Amount.tokens(10)).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
