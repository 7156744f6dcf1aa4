package dev.budgetmeter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README's configuration reference lists every key with its default, so it cannot drift from the code. */
class ReadmeConfigReferenceTest {

    @Test
    void every_key_and_its_default_is_in_the_readme() throws IOException {
        final String readme = Files.readString(Path.of("..", "README.md"));
        for (final ConfigDef.ConfigKey key : MeteringConfig.configDef().configKeys().values()) {
            final Object value = key.defaultValue;
            final String shown = value == null || value.toString().isEmpty() || "[]".equals(value.toString())
                    ? "" : value.toString();
            assertThat(readme).as("README row of %s", key.name).containsPattern(
                    "\\| `" + key.name.replace(".", "\\.") + "` \\| `[^`]*" + java.util.regex.Pattern.quote(shown));
        }
    }
}
