package dev.budgetmeter.localstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalKafkaStack}. Immutable: every {@code with...} method returns a new value.
 *
 * <p>Defaults ({@link #defaults()}): every port 0 (a free loopback port is picked at start), 90 s to come up for each
 * component (the machines are shared and noisy), one partition for topics created without a count, automatic topic
 * creation off (as in a real deployment: create topics explicitly), no extra broker properties.
 *
 * @param brokerPort            the port of the Kafka client listener, 0 for a free one
 * @param controllerPort        the port of the KRaft controller listener, 0 for a free one
 * @param registryPort          the HTTP port of the schema registry, 0 for a free one
 * @param brokerStartTimeout    how long the broker may take to answer clients after a (re)start
 * @param registryStartTimeout  how long the registry may take to answer HTTP after a (re)start
 * @param defaultPartitions     {@code num.partitions}: the partition count of topics created without one
 * @param autoCreateTopics      {@code auto.create.topics.enable}
 * @param extraBrokerProperties broker properties applied last, overriding the stack's own (use with care: the
 *                              listener and quorum settings are what make the stack work)
 */
public record LocalStackOptions(
        int brokerPort,
        int controllerPort,
        int registryPort,
        Duration brokerStartTimeout,
        Duration registryStartTimeout,
        int defaultPartitions,
        boolean autoCreateTopics,
        Map<String, String> extraBrokerProperties) {

    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    /** Validates every field and takes an immutable copy of the extra properties. */
    public LocalStackOptions {
        requirePort(brokerPort, "brokerPort");
        requirePort(controllerPort, "controllerPort");
        requirePort(registryPort, "registryPort");
        requireDistinctFixedPorts(brokerPort, controllerPort, registryPort);
        requirePositive(brokerStartTimeout, "brokerStartTimeout");
        requirePositive(registryStartTimeout, "registryStartTimeout");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
        extraBrokerProperties = Map.copyOf(Objects.requireNonNull(extraBrokerProperties, "extraBrokerProperties"));
    }

    /** Free ports, 90 s start timeouts, one default partition, no automatic topic creation. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(0, 0, 0, DEFAULT_START_TIMEOUT, DEFAULT_START_TIMEOUT, 1, false, Map.of());
    }

    /** A copy with the given Kafka client port (0 = pick a free one). */
    public LocalStackOptions withBrokerPort(final int port) {
        return new LocalStackOptions(port, controllerPort, registryPort, brokerStartTimeout, registryStartTimeout,
                defaultPartitions, autoCreateTopics, extraBrokerProperties);
    }

    /** A copy with the given schema registry HTTP port (0 = pick a free one). */
    public LocalStackOptions withRegistryPort(final int port) {
        return new LocalStackOptions(brokerPort, controllerPort, port, brokerStartTimeout, registryStartTimeout,
                defaultPartitions, autoCreateTopics, extraBrokerProperties);
    }

    /** A copy with the given time the broker may take to come up. */
    public LocalStackOptions withBrokerStartTimeout(final Duration timeout) {
        return new LocalStackOptions(brokerPort, controllerPort, registryPort, timeout, registryStartTimeout,
                defaultPartitions, autoCreateTopics, extraBrokerProperties);
    }

    /** A copy with the given time the registry may take to come up. */
    public LocalStackOptions withRegistryStartTimeout(final Duration timeout) {
        return new LocalStackOptions(brokerPort, controllerPort, registryPort, brokerStartTimeout, timeout,
                defaultPartitions, autoCreateTopics, extraBrokerProperties);
    }

    /** A copy with the given {@code num.partitions}. */
    public LocalStackOptions withDefaultPartitions(final int partitions) {
        return new LocalStackOptions(brokerPort, controllerPort, registryPort, brokerStartTimeout,
                registryStartTimeout, partitions, autoCreateTopics, extraBrokerProperties);
    }

    /** A copy with {@code auto.create.topics.enable} set as given. */
    public LocalStackOptions withAutoCreateTopics(final boolean enabled) {
        return new LocalStackOptions(brokerPort, controllerPort, registryPort, brokerStartTimeout,
                registryStartTimeout, defaultPartitions, enabled, extraBrokerProperties);
    }

    /** A copy with one more broker property, overriding the stack's own value for that key. */
    public LocalStackOptions withBrokerProperty(final String key, final String value) {
        final Map<String, String> extended = new HashMap<>(extraBrokerProperties);
        extended.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new LocalStackOptions(brokerPort, controllerPort, registryPort, brokerStartTimeout,
                registryStartTimeout, defaultPartitions, autoCreateTopics, extended);
    }

    private static void requirePort(final int port, final String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (free port) or 1-65535, was " + port);
        }
    }

    private static void requireDistinctFixedPorts(final int broker, final int controller, final int registry) {
        if (broker != 0 && (broker == controller || broker == registry) || controller != 0 && controller == registry) {
            throw new IllegalArgumentException("fixed ports must differ: broker " + broker + ", controller "
                    + controller + ", registry " + registry);
        }
    }

    private static void requirePositive(final Duration timeout, final String name) {
        if (Objects.requireNonNull(timeout, name).isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + timeout);
        }
    }
}
