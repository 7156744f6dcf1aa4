package dev.budgetmeter.producer.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The Kafka consumer properties of a meter's decision reader. It reaches the same cluster as the meter's producer,
 * so it takes the caller's extra producer properties that are consumer properties too (security: SASL, TLS; DNS,
 * reconnect and metadata settings), but not the client id. It is assigned one partition, commits nothing, reads
 * only committed transactions (the ledger writes in transactions) and polls often, because a worker waits for the
 * answer.
 */
public final class DecisionConsumerConfigs {

    /** A fetch that finds nothing returns after this long, bounding what a decision waits on an idle partition. */
    static final int FETCH_MAX_WAIT_MS = 50;

    private DecisionConsumerConfigs() {
    }

    public static Map<String, Object> of(final MeterSettings settings) {
        final Map<String, Object> props = new HashMap<>();
        settings.producerProperties().forEach((name, value) -> {
            if (ConsumerConfig.configNames().contains(name) && !name.equals(CommonClientConfigs.CLIENT_ID_CONFIG)) {
                props.put(name, value);
            }
        });
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "budget-meter-decisions-" + settings.workerId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.blockTimeout().toMillis());
        return props;
    }
}
