package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Loopback;
import dev.budgetmeter.localstack.internal.TlsMaterial;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of one node of a local KRaft cluster: broker and controller in one process, a static voter
 * set of every node, listeners on loopback only.
 *
 * <p>Replication as the compose file sets it ({@link LocalClusterOptions#replicationFactor()},
 * {@link LocalClusterOptions#minInsyncReplicas()}), for Kafka's internal topics too: offsets and the transaction state
 * log must survive one broker lost. Fewer partitions for the internal topics, no initial rebalance delay and a small
 * log cleaner buffer, as the single-node broker has them, for the same reasons ({@link KraftBrokerConfig}).
 *
 * <p>Secured ({@link ClusterSecurity}): the client listener speaks SASL_PLAINTEXT with SCRAM-SHA-512, a second one
 * SASL_SSL with SCRAM-SHA-512; brokers talk to each other on the first as the administrator, who is the only super
 * user. The controller listener uses SASL/PLAIN with the administrator's password in the node's JAAS settings: Kafka
 * cannot check SCRAM credentials there, since they live in the metadata log the controllers serve. Authorization is
 * the {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}: no ACL, no access.
 */
final class KraftClusterNodeConfig {

    static final String CLIENT_LISTENER = "CLIENT";
    static final String TLS_LISTENER = "TLS";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String INTERNAL_TOPIC_PARTITIONS = "5";
    private static final String SCRAM = "scram-sha-512";

    private KraftClusterNodeConfig() {
    }

    /**
     * The properties of node {@code nodeId}.
     *
     * @param voters   {@code controller.quorum.voters}: {@code id@host:port} of every node
     * @param security the cluster's secrets, or null for a cluster without security
     */
    static Properties of(final int nodeId, final NodePorts ports, final String voters, final Path logDir,
            final LocalClusterOptions options, final ClusterSecurity security) {
        final Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", Integer.toString(nodeId));
        config.setProperty("controller.quorum.voters", voters);
        config.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        config.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
        final String client = CLIENT_LISTENER + "://" + Loopback.address(ports.client());
        final String controller = CONTROLLER_LISTENER + "://" + Loopback.address(ports.controller());
        if (security == null) {
            config.setProperty("listeners", client + "," + controller);
            config.setProperty("advertised.listeners", client);
            config.setProperty("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT,"
                    + CONTROLLER_LISTENER + ":PLAINTEXT");
        } else {
            final String tls = TLS_LISTENER + "://" + Loopback.address(ports.tls());
            config.setProperty("listeners", client + "," + tls + "," + controller);
            config.setProperty("advertised.listeners", client + "," + tls);
            config.setProperty("listener.security.protocol.map", CLIENT_LISTENER + ":"
                    + ClusterSecurity.PLAINTEXT_PROTOCOL + "," + TLS_LISTENER + ":" + ClusterSecurity.TLS_PROTOCOL
                    + "," + CONTROLLER_LISTENER + ":" + ClusterSecurity.PLAINTEXT_PROTOCOL);
            secure(config, security);
        }
        config.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        config.setProperty("num.partitions", Integer.toString(options.defaultPartitions()));
        config.setProperty("auto.create.topics.enable", "false");
        final String replicas = Integer.toString(options.replicationFactor());
        final String minIsr = Integer.toString(options.minInsyncReplicas());
        config.setProperty("default.replication.factor", replicas);
        config.setProperty("min.insync.replicas", minIsr);
        config.setProperty("offsets.topic.replication.factor", replicas);
        config.setProperty("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        config.setProperty("transaction.state.log.replication.factor", replicas);
        config.setProperty("transaction.state.log.min.isr", minIsr);
        config.setProperty("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        config.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        config.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        config.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        options.extraBrokerProperties().forEach(config::setProperty);
        return config;
    }

    private static void secure(final Properties config, final ClusterSecurity security) {
        final ScramUser admin = security.admin();
        final String client = "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        final String tls = "listener.name." + TLS_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        final String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        config.setProperty("sasl.enabled.mechanisms", ScramUser.MECHANISM);
        config.setProperty("sasl.mechanism.inter.broker.protocol", ScramUser.MECHANISM);
        config.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        config.setProperty(client + "sasl.enabled.mechanisms", ScramUser.MECHANISM);
        config.setProperty(client + SCRAM + ".sasl.jaas.config", admin.jaasConfig());
        config.setProperty(tls + "sasl.enabled.mechanisms", ScramUser.MECHANISM);
        config.setProperty(tls + SCRAM + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.setProperty(tls + "ssl.keystore.location", security.tls().keyStore().toString());
        config.setProperty(tls + "ssl.keystore.type", TlsMaterial.STORE_TYPE);
        config.setProperty(tls + "ssl.keystore.password", security.tls().password());
        config.setProperty(tls + "ssl.key.password", security.tls().password());
        config.setProperty(controller + "sasl.enabled.mechanisms", "PLAIN");
        config.setProperty(controller + "plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin.name()
                        + "\" password=\"" + admin.password() + "\" user_" + admin.name() + "=\"" + admin.password()
                        + "\";");
        config.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.setProperty("allow.everyone.if.no.acl.found", "false");
        config.setProperty("super.users", admin.principal());
    }

    /**
     * The ports of one node.
     *
     * @param client     the client listener (PLAINTEXT, or SASL_PLAINTEXT when secured), also between brokers
     * @param tls        the SASL_SSL listener of a secured cluster, 0 otherwise
     * @param controller the KRaft controller listener
     */
    record NodePorts(int client, int tls, int controller) {
    }
}
