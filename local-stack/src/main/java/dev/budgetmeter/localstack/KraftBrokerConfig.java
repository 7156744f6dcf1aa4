package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Loopback;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of a single-node KRaft cluster in combined mode (one process is broker and controller)
 * listening on loopback only.
 *
 * <p>Why each non-default value: on one node every internal topic must have replication factor 1 and min ISR 1, or
 * things hang silently (consumer groups never get an assignment; transactions, and so exactly-once Streams, time out
 * after 60 s). Fewer partitions for the internal topics (5 instead of 50) make the first consumer group and the first
 * transaction come up faster without changing any semantics. {@code group.initial.rebalance.delay.ms=0} spares every
 * test the 3 s wait for more group members. A small log cleaner buffer (2 MiB instead of 128 MiB of heap, as Kafka's
 * own test harness uses) matters because the broker shares the JVM with the tests.
 */
final class KraftBrokerConfig {

    private static final String NODE_ID = "1";
    private static final String INTERNAL_TOPIC_PARTITIONS = "5";

    private KraftBrokerConfig() {
    }

    /** The properties for a broker on {@code brokerPort} with its controller on {@code controllerPort}. */
    static Properties of(final int brokerPort, final int controllerPort, final Path logDir,
            final LocalStackOptions options) {
        final String broker = Loopback.address(brokerPort);
        final String controller = Loopback.address(controllerPort);
        final Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", NODE_ID);
        config.setProperty("controller.quorum.bootstrap.servers", controller);
        config.setProperty("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        config.setProperty("advertised.listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        config.setProperty("num.partitions", Integer.toString(options.defaultPartitions()));
        config.setProperty("auto.create.topics.enable", Boolean.toString(options.autoCreateTopics()));
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        config.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        options.extraBrokerProperties().forEach(config::setProperty);
        return config;
    }
}
