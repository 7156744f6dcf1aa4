package dev.budgetmeter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference lists every key with exactly its default (an empty list shown as
 * {@code (none)}, an empty string as {@code (empty)}), so it cannot drift from the code.
 */
class ReadmeConfigReferenceTest {

    @Test
    void every_key_and_its_default_is_in_the_readme() throws IOException {
        final String readme = Files.readString(Path.of("..", "README.md"));
        for (final ConfigDef.ConfigKey key : MeteringConfig.configDef().configKeys().values()) {
            // Both cells whole, between their backticks: a default of 1 must not match a README that shows 10.
            assertThat(readme).as("README row of %s", key.name).containsPattern(
                    "\\| `" + Pattern.quote(key.name) + "` \\| `" + Pattern.quote(shown(key.defaultValue)) + "` \\|");
        }
    }

    private static String shown(final Object defaultValue) {
        if (defaultValue == null || defaultValue instanceof Collection<?> values && values.isEmpty()) {
            return "(none)";
        }
        return defaultValue.toString().isEmpty() ? "(empty)" : defaultValue.toString();
    }
}
