package dev.budgetmeter.cli;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalClusterOptions;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.LocalKafkaStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka that {@code demo} and {@code stack} start on this machine: the single-node stack in this JVM, or, with
 * more brokers or security, a {@link LocalKafkaCluster} of child JVMs. Knows how many replicas its topics get and
 * which addresses (and, secured, which client config files) a client needs.
 */
final class LocalDeployment implements AutoCloseable {

    /** The TLS listeners of a secured cluster. */
    static final String TLS_BOOTSTRAP_SERVERS_KEY = "KAFKA_TLS_BOOTSTRAP_SERVERS";
    /** The administrator's client settings for the TLS listeners, beside {@link ClusterOptions#COMMAND_CONFIG_ENV}. */
    static final String TLS_COMMAND_CONFIG_KEY = "BUDGET_METER_TLS_COMMAND_CONFIG";

    private final KafkaStack stack;
    private final Path workDirectory;
    private final short replicationFactor;

    private LocalDeployment(final KafkaStack stack, final Path workDirectory, final short replicationFactor) {
        this.stack = stack;
        this.workDirectory = workDirectory;
        this.replicationFactor = replicationFactor;
    }

    /** One broker without security in this JVM; anything else a cluster of child JVMs. */
    static LocalDeployment start(final int brokers, final boolean secure) {
        if (brokers == 1 && !secure) {
            final LocalKafkaStack single = LocalKafkaStack.start();
            return new LocalDeployment(single, single.workDirectory(), (short) 1);
        }
        final LocalClusterOptions options = LocalClusterOptions.defaults().withBrokers(brokers).withSecurity(secure);
        final LocalKafkaCluster cluster = LocalKafkaCluster.start(options);
        return new LocalDeployment(cluster, cluster.workDirectory(), (short) options.replicationFactor());
    }

    KafkaStack stack() {
        return stack;
    }

    /** The temp directory the stack removes when it stops. */
    Path workDirectory() {
        return workDirectory;
    }

    /** Replicas of the topics and of the topology's internal topics. */
    short replicationFactor() {
        return replicationFactor;
    }

    /**
     * What a client needs, under the names the other commands read from the environment: the bootstrap servers, the
     * registry and, on a secured cluster, the TLS listeners and the administrator's client config files (whose
     * content is never printed).
     */
    Map<String, String> addresses() {
        final Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(ClusterOptions.BOOTSTRAP_SERVERS_ENV, stack.bootstrapServers());
        addresses.put(ClusterOptions.SCHEMA_REGISTRY_URL_ENV, stack.schemaRegistryUrl());
        if (stack instanceof LocalKafkaCluster cluster && cluster.isSecured()) {
            addresses.put(TLS_BOOTSTRAP_SERVERS_KEY, cluster.tlsBootstrapServers());
            addresses.put(ClusterOptions.COMMAND_CONFIG_ENV, cluster.adminConfigFile(false).toString());
            addresses.put(TLS_COMMAND_CONFIG_KEY, cluster.adminConfigFile(true).toString());
        }
        return addresses;
    }

    @Override
    public void close() {
        stack.close();
    }
}
