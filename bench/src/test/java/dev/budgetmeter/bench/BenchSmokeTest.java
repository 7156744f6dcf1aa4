package dev.budgetmeter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke of the benchmark: {@code --smoke} runs every scenario for a few seconds on a real local stack and
 * must complete and write its three reports with every scenario in them. It checks that the run works, never a
 * figure: timings on shared machines are not something a test may assert.
 */
class BenchSmokeTest {

    @Test
    void smoke_run_completes_and_writes_json_markdown_and_chart_with_every_scenario(@TempDir final Path out)
            throws IOException {
        // Given a results directory
        // When the smoke profile runs every scenario
        final int exitCode = BenchMain.run("--smoke", "--out", out.toString());

        // Then it completed and wrote every report, with every scenario in each
        assertThat(exitCode).as("exit code: 0 when every scenario completed").isZero();
        final JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.at("/machine/cores").asInt()).isPositive();
        assertThat(results.at("/machine/kafkaVersion").asText()).isNotBlank();
        final String markdown = Files.readString(out.resolve("results.md"));
        for (final Scenario scenario : Scenario.values()) {
            final JsonNode figures = results.at("/scenarios/" + scenario.id());
            assertThat(figures.isObject()).as("results.json has %s", scenario.id()).isTrue();
            assertThat(figures.has("error")).as("%s failed: %s", scenario.id(), figures.path("error")).isFalse();
            assertThat(markdown).as("results.md has %s", scenario.id()).contains("## " + scenario.title());
        }
        assertThat(results.at("/goals").size()).isPositive();
        final BufferedImage chart = ImageIO.read(out.resolve("chart.png").toFile());
        assertThat(chart).as("chart.png is a readable PNG").isNotNull();
        assertThat(chart.getWidth()).isPositive();
    }
}
