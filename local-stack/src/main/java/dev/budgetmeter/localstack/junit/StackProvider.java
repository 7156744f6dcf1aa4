package dev.budgetmeter.localstack.junit;

import dev.budgetmeter.localstack.ExternalKafkaStack;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.localstack.TestcontainersKafkaStack;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Where the tests' Kafka stack comes from, in order of preference: an external cluster when
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} are both set; Testcontainers when it is on the class
 * path and finds a Docker engine; otherwise the {@link LocalKafkaStack}.
 *
 * <p>The system property {@value #OVERRIDE_PROPERTY} or the environment variable {@value #OVERRIDE_ENV}
 * ({@code local}, {@code testcontainers} or {@code external}) forces a provider, e.g. {@code local} on a Docker
 * machine for tests that need the local stack's restart handles.
 */
public enum StackProvider {

    /** A cluster someone else runs, named by the environment. */
    EXTERNAL,
    /** Kafka and Confluent's schema registry in Docker containers. */
    TESTCONTAINERS,
    /** The in-process broker plus the Apicurio child JVM. */
    LOCAL;

    /** System property that forces a provider by name. */
    public static final String OVERRIDE_PROPERTY = "budgetmeter.kafka.stack";
    /** Environment variable that forces a provider by name, when the system property is not set. */
    public static final String OVERRIDE_ENV = "BUDGETMETER_KAFKA_STACK";

    private static final String DOCKER_PROBE_CLASS = "org.testcontainers.DockerClientFactory";

    /** The provider this JVM's system properties, environment and class path select. */
    public static StackProvider fromSystem() {
        return choose(System::getProperty, System::getenv, StackProvider::testcontainersFindsDocker);
    }

    /**
     * The provider for the given lookups; see the class comment for the order. Docker is probed only if no earlier
     * rule decides, because the probe is slow where there is no engine.
     */
    static StackProvider choose(final UnaryOperator<String> systemProperties, final UnaryOperator<String> environment,
            final BooleanSupplier dockerAvailable) {
        final String forced = firstSet(systemProperties.apply(OVERRIDE_PROPERTY), environment.apply(OVERRIDE_ENV));
        if (forced != null) {
            return parse(forced);
        }
        if (ExternalKafkaStack.fromEnvironment(environment).isPresent()) {
            return EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : LOCAL;
    }

    /** Starts (or, for {@link #EXTERNAL}, names) a stack of this kind. */
    public KafkaStack start() {
        switch (this) {
            case EXTERNAL:
                return ExternalKafkaStack.fromEnvironment(System::getenv).orElseThrow(() -> new IllegalStateException(
                        "the external stack needs both " + ExternalKafkaStack.BOOTSTRAP_SERVERS_ENV + " and "
                                + ExternalKafkaStack.SCHEMA_REGISTRY_URL_ENV + " set"));
            case TESTCONTAINERS:
                return TestcontainersKafkaStack.start();
            default:
                return LocalKafkaStack.start();
        }
    }

    private static StackProvider parse(final String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(OVERRIDE_PROPERTY + "/" + OVERRIDE_ENV + " must be one of local,"
                    + " testcontainers, external; was '" + name + "'", e);
        }
    }

    private static boolean testcontainersFindsDocker() {
        // Testcontainers is an optional dependency: without it on the class path, there is no Docker provider, and
        // TestcontainersKafkaStack must not even be loaded.
        try {
            Class.forName(DOCKER_PROBE_CLASS, false, StackProvider.class.getClassLoader());
        } catch (final ClassNotFoundException e) {
            return false;
        }
        return TestcontainersKafkaStack.isDockerAvailable();
    }

    private static String firstSet(final String first, final String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
