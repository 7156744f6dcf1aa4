package dev.budgetmeter.localstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalKafkaCluster}. Immutable: every {@code with...} method returns a new value.
 *
 * <p>Defaults ({@link #defaults()}): three brokers, no security, 180 s for the brokers and for the registry to come
 * up (four JVMs start at once; on a shared 2-core machine under other load, 110 s were seen), one partition for topics created without a count, no
 * extra broker properties. Replication follows the broker count as the compose file sets it: replication factor
 * {@code min(3, brokers)} and {@code min.insync.replicas} {@code min(2, brokers)}, for topics created without their
 * own and for Kafka's internal topics.
 *
 * @param brokers               how many KRaft nodes, each broker and controller, each its own JVM
 * @param secured               SASL/SCRAM-SHA-512 on every client listener, a SASL_SSL listener beside it, the
 *                              {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}
 * @param brokerStartTimeout    how long the brokers may take to answer after a (re)start
 * @param registryStartTimeout  how long the registry may take to answer
 * @param defaultPartitions     {@code num.partitions}
 * @param extraBrokerProperties broker properties applied last, overriding the cluster's own
 */
public record LocalClusterOptions(int brokers, boolean secured, Duration brokerStartTimeout,
                                  Duration registryStartTimeout, int defaultPartitions,
                                  Map<String, String> extraBrokerProperties) {

    /** The broker count of the compose file and of {@link #defaults()}. */
    public static final int DEFAULT_BROKERS = 3;
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

    /** Validates every field and takes an immutable copy of the extra properties. */
    public LocalClusterOptions {
        if (brokers < 1 || brokers > 9) {
            throw new IllegalArgumentException("brokers must be 1-9, was " + brokers);
        }
        requirePositive(brokerStartTimeout, "brokerStartTimeout");
        requirePositive(registryStartTimeout, "registryStartTimeout");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
        extraBrokerProperties = Map.copyOf(Objects.requireNonNull(extraBrokerProperties, "extraBrokerProperties"));
    }

    /** Three brokers without security; see the class comment. */
    public static LocalClusterOptions defaults() {
        return new LocalClusterOptions(DEFAULT_BROKERS, false, DEFAULT_START_TIMEOUT, DEFAULT_START_TIMEOUT, 1,
                Map.of());
    }

    /** A copy with {@code count} brokers. */
    public LocalClusterOptions withBrokers(final int count) {
        return new LocalClusterOptions(count, secured, brokerStartTimeout, registryStartTimeout, defaultPartitions,
                extraBrokerProperties);
    }

    /** A copy with security on or off. */
    public LocalClusterOptions withSecurity(final boolean on) {
        return new LocalClusterOptions(brokers, on, brokerStartTimeout, registryStartTimeout, defaultPartitions,
                extraBrokerProperties);
    }

    /** A copy with one more broker property, overriding the cluster's own value for that key. */
    public LocalClusterOptions withBrokerProperty(final String key, final String value) {
        final Map<String, String> extended = new HashMap<>(extraBrokerProperties);
        extended.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new LocalClusterOptions(brokers, secured, brokerStartTimeout, registryStartTimeout, defaultPartitions,
                extended);
    }

    /** Replicas of every topic created without a count, and of the internal topics. */
    public int replicationFactor() {
        return Math.min(3, brokers);
    }

    /** {@code min.insync.replicas} of every topic without its own, and of the transaction state log. */
    public int minInsyncReplicas() {
        return Math.min(2, brokers);
    }

    private static void requirePositive(final Duration timeout, final String name) {
        if (Objects.requireNonNull(timeout, name).isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + timeout);
        }
    }
}
