package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * The coordinates of one artifact file and where that file sits in a local Maven repository.
 *
 * @param groupId    e.g. {@code io.apicurio}
 * @param artifactId e.g. {@code apicurio-registry-app}
 * @param version    e.g. {@code 2.6.13.Final}
 * @param classifier e.g. {@code all}; empty for none
 * @param type       the file extension, e.g. {@code tar.gz}
 */
public record MavenCoordinates(String groupId, String artifactId, String version, String classifier, String type) {

    /** Validates that every field is present (the classifier may be empty). */
    public MavenCoordinates {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Reads the coordinates from a properties resource on the classpath (keys {@code groupId}, {@code artifactId},
     * {@code version}, {@code classifier}, {@code type}), e.g. one that the build filtered.
     */
    public static MavenCoordinates fromResource(final String resource) {
        final Properties properties = new Properties();
        try (InputStream in = MavenCoordinates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the classpath");
            }
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return new MavenCoordinates(properties.getProperty("groupId"), properties.getProperty("artifactId"),
                properties.getProperty("version"), properties.getProperty("classifier", ""),
                properties.getProperty("type"));
    }

    /** The file name in a Maven repository, e.g. {@code apicurio-registry-app-2.6.13.Final-all.tar.gz}. */
    public String fileName() {
        return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + type;
    }

    /** Where the file sits in the repository rooted at {@code repository}. */
    public Path pathIn(final Path repository) {
        return repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version).resolve(fileName());
    }

    /** {@code groupId:artifactId:version:type:classifier}, as Maven's command line spells it. */
    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + ":" + type + (classifier.isEmpty() ? "" : ":" + classifier);
    }
}
