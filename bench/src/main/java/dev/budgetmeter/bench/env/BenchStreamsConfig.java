package dev.budgetmeter.bench.env;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration both measured applications start from, so that the baseline differs from the metering
 * topology only in its topology and application id: the metering defaults ({@code exactly_once_v2} with its default
 * commit interval, the same exception handlers), one stream thread, no standby (there is one instance), replication
 * factor 1 (one broker).
 */
public final class BenchStreamsConfig {

    private BenchStreamsConfig() {
    }

    /**
     * @param stack         the broker and registry
     * @param topicPrefix   the prefix of the application's topics
     * @param applicationId the application id
     * @param stateDir      the application's own state directory
     * @param idleTimeout   {@code metering.idle.timeout.ms} (ignored by the baseline)
     * @param overrides     further settings, applied last (e.g. the budget ledger's authority, a commit interval)
     */
    public static MeteringConfig of(final KafkaStack stack, final String topicPrefix, final String applicationId,
                                    final Path stateDir, final Duration idleTimeout,
                                    final Map<String, Object> overrides) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, idleTimeout.toMillis());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        settings.putAll(overrides);
        return new MeteringConfig(settings);
    }
}
