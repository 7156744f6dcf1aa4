package dev.budgetmeter.cli.audit;

import dev.budgetmeter.cli.topics.TopicToEnd;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Loads the output topics of one deployment for the {@link LedgerOracle}: the commands, audit and dead-letter topics
 * record by record, and the balances topic as the latest balance of every budget. Each partition is read from its
 * beginning to the end offset it had when reading started, with read_committed (see {@link TopicToEnd}).
 */
public final class LedgerReader {

    private final TopicRegistry topics;
    private final TopicToEnd reader;

    /**
     * @param timeout bound on reading one topic to its end
     */
    public LedgerReader(final String bootstrapServers, final TopicRegistry topics, final Duration timeout) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, timeout);
    }

    /**
     * @param connection {@code bootstrap.servers} and any security settings (an auditor's principal needs READ on
     *                   the topics it reads, no group)
     * @param timeout    bound on reading one topic to its end
     */
    public LedgerReader(final Map<String, Object> connection, final TopicRegistry topics, final Duration timeout) {
        this.topics = topics;
        this.reader = new TopicToEnd(connection, timeout, "budget-meter-ledger-reader");
    }

    /** Every record of the output topics. */
    public LedgerSnapshot readAll() {
        return new LedgerSnapshot(read(Topics.COMMANDS, key -> true, partitions -> partitions),
                read(Topics.AUDIT, key -> true, partitions -> partitions),
                read(Topics.DEAD_LETTERS, key -> true, partitions -> partitions), balances());
    }

    /**
     * The records of one reservation. Reads only the partition its key hashes to (the producer's default
     * partitioner), so a lookup does not scan the whole topic; no balances.
     */
    public LedgerSnapshot readReservation(final String reservationId) {
        final Predicate<String> sameKey = reservationId::equals;
        final UnaryOperator<List<TopicPartition>> itsPartition = partitions -> List.of(
                partitions.get(TopicToEnd.partitionOf(reservationId, partitions.size())));
        return new LedgerSnapshot(read(Topics.COMMANDS, sameKey, itsPartition),
                read(Topics.AUDIT, sameKey, itsPartition),
                read(Topics.DEAD_LETTERS, sameKey, partitions -> partitions), List.of());
    }

    /**
     * The latest balance of every budget, by {@code <scope>|<unit>}, in the order first seen; none when the
     * deployment has no balances topic (created before the budget ledger existed).
     */
    public Map<String, Balance> latestBalances() {
        final Map<String, Balance> latest = new LinkedHashMap<>();
        reader.readIfPresent(topics.topic(Topics.BALANCES), (key, balance) -> {
            if (balance == null) {
                latest.remove(key);
            } else {
                latest.put(key, balance);
            }
        });
        return latest;
    }

    private List<Balance> balances() {
        return List.copyOf(latestBalances().values());
    }

    private <V extends SpecificRecord> List<V> read(final TopicDefinition<String, V> definition,
                                                     final Predicate<String> keys,
                                                     final UnaryOperator<List<TopicPartition>> choose) {
        final List<V> values = new ArrayList<>();
        reader.read(topics.topic(definition), choose, (key, value) -> {
            if (value != null && keys.test(key)) {
                values.add(value);
            }
        });
        return values;
    }
}
