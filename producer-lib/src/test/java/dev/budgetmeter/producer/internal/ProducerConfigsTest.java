package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerConfigsTest {

    private static MeterSettings settings(final Map<String, Object> extra) {
        return new MeterSettings("k1:9092,k2:9092", "http://registry:8081", "budget.", "worker-1", true,
                Duration.ofMillis(250), 100, Duration.ofSeconds(2), Duration.ofSeconds(20), 8L * 1024 * 1024, extra,
                Map.of(), Clock.systemUTC());
    }

    @Test
    void orders_and_bounds_every_event_by_default() {
        final Map<String, Object> props = ProducerConfigs.of(settings(Map.of()));

        assertThat(props).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092,k2:9092")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 10)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000L)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 19_990)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "budget-meter-worker-1");
    }

    @Test
    void lets_tuning_and_security_properties_through_and_keeps_the_timeouts_consistent() {
        final Map<String, Object> props = ProducerConfigs.of(settings(Map.of(
                "security.protocol", "SASL_SSL", ProducerConfig.LINGER_MS_CONFIG, "50",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 3)));

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 3)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 19_950);
    }

    @Test
    void refuses_overrides_of_what_the_meter_owns() {
        assertThatThrownBy(() -> ProducerConfigs.of(settings(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.block.ms");
        assertThatThrownBy(() -> ProducerConfigs.of(settings(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactional.id");
    }
}
