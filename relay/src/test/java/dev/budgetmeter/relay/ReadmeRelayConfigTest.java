package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README's relay configuration lists every {@code relay.*} key with exactly its default, so it cannot drift. */
class ReadmeRelayConfigTest {

    @Test
    void every_relay_key_and_its_default_is_in_the_readme() throws IOException {
        final String readme = Files.readString(Path.of("..", "README.md"));
        for (final ConfigDef.ConfigKey key : RelayConfig.configDef().configKeys().values()) {
            if (!key.name.startsWith("relay.")) {
                continue;
            }
            final String shown = key.defaultValue == null || key.defaultValue == ConfigDef.NO_DEFAULT_VALUE
                    ? "(none)" : key.defaultValue.toString().isEmpty() ? "(empty)" : key.defaultValue.toString();
            assertThat(readme).as("README row of %s", key.name).containsPattern(
                    "\\| `" + Pattern.quote(key.name) + "` \\| `" + Pattern.quote(shown) + "` \\|");
        }
    }
}
