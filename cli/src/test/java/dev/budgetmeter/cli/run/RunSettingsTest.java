package dev.budgetmeter.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.topology.MeteringConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {

    private static final Map<String, String> SERVERS = Map.of(
            "bootstrap.servers", "file:9092", "schema.registry.url", "http://file:8081");

    @Test
    void each_source_overrides_the_one_before_defaults_file_environment_flags() {
        final Map<String, String> file = Map.of(
                "bootstrap.servers", "file:9092", "schema.registry.url", "http://file:8081",
                "metering.idle.timeout.ms", "1000", "metering.max.extensions", "3", "num.stream.threads", "2");
        final Map<String, String> environment = Map.of(
                "BUDGET_METER_METERING_IDLE_TIMEOUT_MS", "2000", "BUDGET_METER_METERING_MAX_EXTENSIONS", "4");
        final Map<String, String> flags = Map.of("metering.max.extensions", "5");

        final RunSettings settings = RunSettings.resolve(file, environment, flags);
        final MeteringConfig config = settings.config();

        assertThat(config.getInt(MeteringConfig.MAX_EXTENSIONS_CONFIG)).isEqualTo(5);
        assertThat(config.getLong(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG)).isEqualTo(2_000L);
        assertThat(settings.value("num.stream.threads")).isEqualTo("2");
        assertThat(config.getLong(MeteringConfig.ORPHAN_TIMEOUT_MS_CONFIG))
                .isEqualTo(MeteringConfig.ORPHAN_TIMEOUT_MS_DEFAULT);
        assertThat(settings.sourceOf("metering.max.extensions")).isEqualTo(RunSettings.Source.FLAG);
        assertThat(settings.sourceOf("metering.idle.timeout.ms")).isEqualTo(RunSettings.Source.ENVIRONMENT);
        assertThat(settings.sourceOf("num.stream.threads")).isEqualTo(RunSettings.Source.FILE);
        assertThat(settings.sourceOf("metering.orphan.timeout.ms")).isEqualTo(RunSettings.Source.DEFAULT);
    }

    @Test
    void the_conventional_variables_give_the_servers_and_prefixed_ones_win_over_them() {
        final RunSettings conventional = RunSettings.resolve(Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092", "SCHEMA_REGISTRY_URL", "http://registry:8081"), Map.of());
        final RunSettings prefixed = RunSettings.resolve(Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092", "SCHEMA_REGISTRY_URL", "http://registry:8081",
                "BUDGET_METER_BOOTSTRAP_SERVERS", "other:9092"), Map.of());

        assertThat(conventional.value("bootstrap.servers")).isEqualTo("kafka-1:9092");
        assertThat(conventional.value("schema.registry.url")).isEqualTo("http://registry:8081");
        assertThat(prefixed.value("bootstrap.servers")).isEqualTo("other:9092");
    }

    @Test
    void environment_names_map_to_keys_and_back() {
        assertThat(RunSettings.keyOf("BUDGET_METER_METERING_IDLE_TIMEOUT_MS")).isEqualTo("metering.idle.timeout.ms");
        assertThat(RunSettings.keyOf("BUDGET_METER_NUM_STANDBY_REPLICAS")).isEqualTo("num.standby.replicas");
        assertThat(RunSettings.envNameOf("metering.topic.prefix")).isEqualTo("BUDGET_METER_METERING_TOPIC_PREFIX");
    }

    @Test
    void unrelated_environment_variables_are_ignored() {
        final RunSettings settings = RunSettings.resolve(SERVERS, Map.of("PATH", "/bin", "BUDGET_METER_", "x",
                "BUDGETMETER_KAFKA_STACK", "local"), Map.of());

        assertThat(settings.describe()).noneMatch(line -> line.startsWith("path") || line.contains("kafka.stack"));
    }

    @Test
    void missing_servers_name_every_way_to_give_them() {
        assertThatThrownBy(() -> RunSettings.resolve(Map.of(), Map.of(), Map.of("schema.registry.url", "http://r")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers").hasMessageContaining("$KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("$BUDGET_METER_BOOTSTRAP_SERVERS").hasMessageContaining("--config");
    }

    @Test
    void a_properties_file_is_read_and_secrets_are_masked_in_the_description(@TempDir final Path dir)
            throws IOException {
        final Path file = dir.resolve("budget-meter.properties");
        Files.writeString(file, """
                bootstrap.servers = kafka:9092
                schema.registry.url = http://registry:8081
                sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required password="s3cret";
                """);

        final RunSettings settings = RunSettings.resolve(RunSettings.loadFile(file), Map.of(), Map.of());

        assertThat(settings.value("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(settings.describe()).contains("sasl.jaas.config = [hidden] (file)")
                .contains("metering.max.extensions = 10 (default)")
                .noneMatch(line -> line.contains("s3cret"));
    }
}
