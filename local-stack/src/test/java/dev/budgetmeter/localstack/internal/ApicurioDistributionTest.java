package dev.budgetmeter.localstack.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApicurioDistributionTest {

    private static final UnaryOperator<String> NO_ENVIRONMENT = name -> null;
    private static final MavenCoordinates COORDINATES =
            MavenCoordinates.fromResource(ApicurioDistribution.COORDINATES_RESOURCE);

    @TempDir
    Path temp;

    @Test
    void build_bakes_the_apicurio_coordinates_into_the_classpath() {
        assertThat(COORDINATES.toString()).isEqualTo("io.apicurio:apicurio-registry-app:2.6.13.Final:tar.gz:all");
        assertThat(COORDINATES.pathIn(Path.of("/repo"))).isEqualTo(Path.of(
                "/repo/io/apicurio/apicurio-registry-app/2.6.13.Final/apicurio-registry-app-2.6.13.Final-all.tar.gz"));
    }

    @Test
    void home_override_is_used_as_is() throws IOException {
        final Path home = Files.createDirectories(temp.resolve("apicurio"));
        Files.createFile(home.resolve("apicurio-registry-app-9.9.9-runner.jar"));
        final UnaryOperator<String> properties = Map.of(ApicurioDistribution.HOME_PROPERTY, home.toString())::get;

        final ApicurioHome found = new ApicurioDistribution(COORDINATES, properties, NO_ENVIRONMENT,
                temp.resolve("cache")).home();

        assertThat(found.runnerJar()).isEqualTo(home.resolve("apicurio-registry-app-9.9.9-runner.jar"));
        assertThat(temp.resolve("cache")).doesNotExist();
    }

    @Test
    void missing_tarball_names_where_it_looked_and_how_to_fix_it() {
        final UnaryOperator<String> properties = Map.of("maven.repo.local", temp.resolve("empty-repo").toString())::get;

        assertThatThrownBy(() -> new ApicurioDistribution(COORDINATES, properties, NO_ENVIRONMENT,
                temp.resolve("cache")).home())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(COORDINATES.pathIn(temp.resolve("empty-repo")).toString())
                .hasMessageContaining("mvn -pl local-stack install")
                .hasMessageContaining(ApicurioDistribution.HOME_ENV);
    }

    @Test
    void tarball_from_the_local_repository_is_extracted_once_and_then_reused() throws IOException {
        final UnaryOperator<String> properties = Map.of(
                "maven.repo.local", localRepository().toString(),
                "user.home", temp.toString())::get;
        final ApicurioDistribution distribution =
                new ApicurioDistribution(COORDINATES, properties, NO_ENVIRONMENT, temp.resolve("cache"));

        final ApicurioHome first = distribution.home();
        final Path marker = Files.createFile(first.directory().resolve("extracted-before"));
        final ApicurioHome second = distribution.home();

        assertThat(second).isEqualTo(first);
        assertThat(marker).exists();
        assertThat(first.directory().resolve("lib")).isDirectory();
        try (var siblings = Files.list(temp.resolve("cache"))) {
            assertThat(siblings).as("no partial extraction left behind").containsExactly(first.directory());
        }
    }

    private static Path localRepository() {
        final String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
