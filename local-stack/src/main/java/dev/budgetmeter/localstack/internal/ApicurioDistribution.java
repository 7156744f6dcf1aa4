package dev.budgetmeter.localstack.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Finds the Apicurio Registry distribution to launch, without depending on any build directory.
 *
 * <p>Order: an extracted home named by the system property {@value #HOME_PROPERTY} or the environment variable
 * {@value #HOME_ENV}; otherwise the tarball whose coordinates the build baked into {@value #COORDINATES_RESOURCE},
 * read from the local Maven repository ({@code -Dmaven.repo.local} if set, else {@code ~/.m2/repository}; building the
 * local-stack module puts it there) and extracted once into a per-user cache
 * ({@code $XDG_CACHE_HOME/budget-meter} or {@code ~/.cache/budget-meter}).
 */
public final class ApicurioDistribution {

    /** System property naming an extracted Apicurio home; wins over everything else. */
    public static final String HOME_PROPERTY = "budgetmeter.apicurio.home";
    /** Environment variable naming an extracted Apicurio home; used when the system property is not set. */
    public static final String HOME_ENV = "BUDGETMETER_APICURIO_HOME";
    /** The filtered classpath resource holding the distribution's Maven coordinates. */
    public static final String COORDINATES_RESOURCE = "/dev/budgetmeter/localstack/apicurio-registry.properties";

    private final MavenCoordinates coordinates;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final Path cacheRoot;

    /**
     * @param coordinates      the tarball's coordinates
     * @param systemProperties looks up system properties ({@code System::getProperty} outside tests)
     * @param environment      looks up environment variables ({@code System::getenv} outside tests)
     * @param cacheRoot        where tarballs are extracted, one directory per artifact and version
     */
    public ApicurioDistribution(final MavenCoordinates coordinates, final UnaryOperator<String> systemProperties,
            final UnaryOperator<String> environment, final Path cacheRoot) {
        this.coordinates = Objects.requireNonNull(coordinates, "coordinates");
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot");
    }

    /** The distribution as this JVM's system properties, environment and classpath describe it. */
    public static ApicurioDistribution fromSystem() {
        return new ApicurioDistribution(MavenCoordinates.fromResource(COORDINATES_RESOURCE), System::getProperty,
                System::getenv, defaultCacheRoot(System::getProperty, System::getenv));
    }

    /** The coordinates of the tarball this distribution comes from. */
    public MavenCoordinates coordinates() {
        return coordinates;
    }

    /** The extracted distribution, extracting the tarball first if needed; see the class comment for the order. */
    public ApicurioHome home() {
        final String override = firstSet(systemProperties.apply(HOME_PROPERTY), environment.apply(HOME_ENV));
        if (override != null) {
            return ApicurioHome.at(Path.of(override));
        }
        final Path tarball = coordinates.pathIn(localRepository());
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("the Apicurio Registry distribution " + coordinates + " is not in the local"
                    + " Maven repository (looked for " + tarball + "); build the local-stack module once"
                    + " (mvn -pl local-stack install) to fetch it, or point -D" + HOME_PROPERTY + " or " + HOME_ENV
                    + " at an extracted distribution");
        }
        return TarballCache.extractOnce(tarball, cacheRoot.resolve(coordinates.artifactId() + "-"
                + coordinates.version()));
    }

    private Path localRepository() {
        final String configured = systemProperties.apply("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(systemProperties.apply("user.home"), ".m2", "repository");
    }

    private static Path defaultCacheRoot(final UnaryOperator<String> systemProperties,
            final UnaryOperator<String> environment) {
        final String xdgCache = environment.apply("XDG_CACHE_HOME");
        final Path base = xdgCache != null && !xdgCache.isBlank()
                ? Path.of(xdgCache)
                : Path.of(systemProperties.apply("user.home"), ".cache");
        return base.resolve("budget-meter");
    }

    private static String firstSet(final String first, final String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
