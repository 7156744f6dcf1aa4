package dev.budgetmeter.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema evolution guard: every topic schema must stay FULL-compatible (BACKWARD and FORWARD) with every version
 * published under {@code schemas/published/<Name>/v<N>.avsc}, so old workers keep writing readable input and old
 * consumers keep reading our output. A failure names the field and the rule it breaks.
 *
 * <p>To publish a release, store the current schema text (the assertion message prints it) as the next
 * {@code v<N>.avsc} of its folder; the published files are never edited afterwards.
 */
class SchemaEvolutionTest {

    private static final Path PUBLISHED = Path.of("published");

    static Stream<Schema> topicSchemas() {
        return TopicSchemas.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topicSchemas")
    void current_schema_is_full_compatible_with_every_published_version(final Schema current) {
        final List<Path> published = publishedVersions(current.getName());
        assertThat(published)
                .as("no published version of %s: store this text as %s/v1.avsc%n%s",
                        current.getName(), PUBLISHED.resolve(current.getName()), current.toString(true))
                .isNotEmpty();
        for (final Path version : published) {
            assertThat(FullCompatibility.problems(current, parse(version), version.toString()))
                    .as("%s must stay FULL-compatible with %s", current.getFullName(), version)
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topicSchemas")
    void the_newest_published_version_is_the_current_schema(final Schema current) {
        final List<Path> published = publishedVersions(current.getName());
        final Path newest = published.get(published.size() - 1);
        assertThat(SchemaNormalization.toParsingForm(parse(newest)))
                .as("%s changed since %s was published: store this text as the next version%n%s",
                        current.getFullName(), newest, current.toString(true))
                .isEqualTo(SchemaNormalization.toParsingForm(current));
    }

    @Test
    void the_guard_names_the_field_of_a_breaking_change() {
        final Schema current = StreamEvent.getClassSchema();
        final Schema broken = new Schema.Parser().parse(current.toString()
                .replace("{\"name\":\"seq\",\"type\":\"long\"", "{\"name\":\"seq\",\"type\":\"string\""));

        assertThat(FullCompatibility.problems(broken, current, "v1"))
                .isNotEmpty()
                .anySatisfy(problem -> assertThat(problem).contains("BACKWARD").contains("/fields/2"))
                .anySatisfy(problem -> assertThat(problem).contains("FORWARD"));
    }

    private static List<Path> publishedVersions(final String name) {
        final Path dir = PUBLISHED.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(final Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
