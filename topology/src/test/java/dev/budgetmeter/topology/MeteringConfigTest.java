package dev.budgetmeter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.topology.app.DeadLetterProcessingExceptionHandler;
import dev.budgetmeter.topology.app.MeteringApp;
import dev.budgetmeter.topology.lifecycle.Authority;
import dev.budgetmeter.topology.lifecycle.FailurePolicy;
import dev.budgetmeter.topology.lifecycle.MeteringPolicy;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MeteringConfigTest {

    @Test
    void defaults_follow_the_protocol_and_the_streaming_guide() {
        final MeteringPolicy policy = new MeteringConfig(Map.of()).policy();

        assertThat(policy.onFailure()).isEqualTo(FailurePolicy.COMMIT_OBSERVED);
        assertThat(policy.maxExtensions()).isEqualTo(10);
        assertThat(policy.extendLeadMs(60_000)).isEqualTo(30_000);
        assertThat(policy.idleTimeoutMs(60_000)).isEqualTo(30_000);
        assertThat(policy.idleTimeoutMs(120_000)).isEqualTo(30_000);
        assertThat(policy.idleTimeoutMs(10_000)).isEqualTo(5_000);
        assertThat(policy.retentionMs()).isEqualTo(3_600_000);
    }

    @Test
    void streams_get_exactly_once_and_deliberate_handlers_unless_told_otherwise() {
        final Properties defaults = MeteringApp.streamsProperties(new MeteringConfig(Map.of()));
        assertThat(defaults.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(defaults.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(0);
        assertThat(defaults.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("budget-meter");
        assertThat(defaults.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProcessingExceptionHandler.class.getName());
        assertThat(MeteringApp.streamsProperties(new MeteringConfig(Map.of(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "custom")))
                .get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo("custom");

        final Properties tuned = new MeteringConfig(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE, "commit.interval.ms", "50")).streamsProperties();
        assertThat(tuned.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(tuned.get("commit.interval.ms")).isEqualTo("50");
    }

    @Test
    void the_producer_batches_64_kib_unless_told_otherwise() {
        assertThat(new MeteringConfig(Map.of()).streamsProperties().get("producer.batch.size")).isEqualTo(65_536);
        assertThat(new MeteringConfig(Map.of("producer.batch.size", "16384")).streamsProperties()
                .get("producer.batch.size")).isEqualTo("16384");
    }

    @Test
    void a_task_does_not_idle_for_empty_partitions_unless_told_otherwise() {
        assertThat(new MeteringConfig(Map.of()).streamsProperties().get("max.task.idle.ms")).isEqualTo(-1L);
        assertThat(new MeteringConfig(Map.of("max.task.idle.ms", "0")).streamsProperties()
                .get("max.task.idle.ms")).isEqualTo("0");
    }

    @Test
    void a_malformed_price_table_names_the_entry() {
        assertThatThrownBy(() -> new MeteringConfig(Map.of(MeteringConfig.PRICE_TABLE_CONFIG, "gpt-4o=250")).policy())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'gpt-4o=250'");
        assertThatThrownBy(() -> new MeteringConfig(Map.of(MeteringConfig.PRICE_TABLE_CONFIG, "a=1:-2")).policy())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'-2' is not a price in 0..100000000");
        assertThatThrownBy(() -> new MeteringConfig(Map.of(MeteringConfig.PRICE_TABLE_CONFIG, "a=1:4611686018427387904"))
                .policy()).isInstanceOf(ConfigException.class).hasMessageContaining("'4611686018427387904'");
    }

    @Test
    void registry_calls_give_up_within_seconds_unless_configured() {
        assertThat(new MeteringConfig(Map.of()).serdeConfig())
                .containsEntry("schema.registry.request.timeout.ms", 5_000)
                .containsEntry("schema.registry.max.retries", 1);
        assertThat(new MeteringConfig(Map.of("schema.registry.max.retries", "4")).serdeConfig())
                .containsEntry("schema.registry.max.retries", "4");
    }

    @Test
    void the_authority_is_external_by_default_one_of_three_and_read_in_any_case() {
        assertThat(new MeteringConfig(Map.of()).policy().ledger()).isFalse();
        assertThat(new MeteringConfig(Map.of(MeteringConfig.AUTHORITY_CONFIG, "ledger")).policy().ledger()).isTrue();
        assertThat(new MeteringConfig(Map.of(MeteringConfig.LEDGER_UNBUDGETED_CONFIG, "allow")).allowUnbudgeted())
                .isTrue();
        assertThat(new MeteringConfig(Map.of(MeteringConfig.AUTHORITY_CONFIG, "Cycles")).authority())
                .isEqualTo(Authority.CYCLES);
        assertThatThrownBy(() -> new MeteringConfig(Map.of(MeteringConfig.AUTHORITY_CONFIG, "redis")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(MeteringConfig.AUTHORITY_CONFIG);
    }

    @Test
    void invalid_values_are_refused_with_the_key() {
        assertThatThrownBy(() -> new MeteringConfig(Map.of(MeteringConfig.ON_FAILURE_CONFIG, "IGNORE")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(MeteringConfig.ON_FAILURE_CONFIG);
    }
}
