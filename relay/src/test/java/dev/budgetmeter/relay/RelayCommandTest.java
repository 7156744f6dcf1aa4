package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How {@code budget-meter relay} resolves its settings: defaults < file < environment < flags. */
class RelayCommandTest {

    @Test
    void flags_win_over_the_environment_which_wins_over_the_config_file(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("relay.properties");
        Files.writeString(file, "relay.cycles.url=http://from-file:1\nrelay.max.in.flight=8\n"
                + "bootstrap.servers=file:9092\n", StandardCharsets.UTF_8);
        final RelayCommand command = parse("--config", file.toString(), "--bootstrap-servers", "flag:9092",
                "--set", "relay.max.in.flight=16");

        final Map<String, Object> settings = command.settings(Map.of("CYCLES_URL", "http://from-env:2",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092", "SCHEMA_REGISTRY_URL", "http://registry:8081"));

        final RelayConfig config = new RelayConfig(settings);
        assertThat(config.cyclesUrl()).hasToString("http://from-env:2");
        assertThat(config.maxInFlight()).isEqualTo(16);
        assertThat(config.clientSettings()).containsEntry("bootstrap.servers", "flag:9092");
        assertThat(config.topicPrefix()).isEqualTo("budget.");
    }

    @Test
    void a_missing_cycles_url_is_an_error_naming_the_setting() throws Exception {
        final Map<String, Object> settings = parse().settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "SCHEMA_REGISTRY_URL", "http://registry:8081"));

        assertThatThrownBy(() -> new RelayConfig(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(RelayConfig.CYCLES_URL_CONFIG);
    }

    @Test
    void no_api_key_anywhere_is_an_error_that_says_where_to_put_one() {
        assertThatThrownBy(() -> ApiKeyRing.load(null, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--api-keys-file").hasMessageContaining("CYCLES_API_KEY");
    }

    @Test
    void keys_come_per_tenant_from_the_environment_with_a_default_for_the_rest() {
        final ApiKeyRing keys = ApiKeyRing.load(null, Map.of("CYCLES_API_KEYS", "acme=k1,globex=k2",
                "CYCLES_API_KEY", "k0"));

        assertThat(keys.forTenant("acme").orElseThrow().reveal()).isEqualTo("k1");
        assertThat(keys.forTenant("globex").orElseThrow().reveal()).isEqualTo("k2");
        assertThat(keys.forTenant("initech").orElseThrow().reveal()).isEqualTo("k0");
        assertThat(keys.forTenant("acme").orElseThrow()).hasToString("****");
    }

    private static RelayCommand parse(final String... args) {
        final RelayCommand command = new RelayCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
