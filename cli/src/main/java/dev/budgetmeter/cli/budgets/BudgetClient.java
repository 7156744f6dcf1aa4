package dev.budgetmeter.cli.budgets;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.topics.TopicToEnd;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Talks to the budget ledger of one deployment: sends a budget operation (an idempotent producer, acks=all) and
 * waits for its audit record, which says whether the ledger applied or refused it; reads every budget's latest
 * balance from the compacted balances topic. Every wait is bounded.
 */
public final class BudgetClient {

    private final String bootstrapServers;
    private final TopicRegistry topics;
    private final Duration timeout;

    public BudgetClient(final String bootstrapServers, final TopicRegistry topics, final Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.timeout = timeout;
    }

    /** Sends the operation and returns the ledger's audit record of it. */
    public AuditRecord apply(final BudgetOperation operation) {
        return applyAll(List.of(operation)).get(0);
    }

    /**
     * Sends the operations in order (one producer: a tenant's operations keep their order) and returns the ledger's
     * audit record of each, in the same order.
     */
    public List<AuditRecord> applyAll(final List<BudgetOperation> operations) {
        final Topic<String, AuditRecord> audit = topics.topic(Topics.AUDIT);
        try (KafkaConsumer<String, AuditRecord> consumer = consumer(audit)) {
            // Each operation's record lands in the audit partition of its id: read those from where they end now.
            final int count = partitionsOf(consumer, audit.name()).size();
            final Set<TopicPartition> partitions = new HashSet<>();
            operations.forEach(operation -> partitions.add(new TopicPartition(audit.name(),
                    TopicToEnd.partitionOf(operation.getOperationId(), count))));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> consumer.position(partition, timeout));
            send(operations);
            final Map<String, AuditRecord> answers = new HashMap<>();
            final Set<String> waiting = new HashSet<>();
            operations.forEach(operation -> waiting.add(operation.getOperationId()));
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
                for (final ConsumerRecord<String, AuditRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (waiting.remove(record.key())) {
                        answers.put(record.key(), record.value());
                    }
                }
            }
            if (!waiting.isEmpty()) {
                throw new TimeoutException("the budget ledger did not answer operations " + waiting + " within "
                        + timeout + ": is the application running with metering.authority=LEDGER?");
            }
            return operations.stream().map(operation -> answers.get(operation.getOperationId())).toList();
        }
    }

    /** The latest balance of every budget, by {@code <scope>|<unit>}, in the order first seen. */
    public Map<String, Balance> balances() {
        return new LedgerReader(bootstrapServers, topics, timeout).latestBalances();
    }

    /** The budget of a scope in a unit, if it exists. */
    public Optional<Balance> balance(final String scope, final dev.budgetmeter.schemas.Unit unit) {
        return Optional.ofNullable(balances().get(scope + "|" + unit));
    }

    private void send(final List<BudgetOperation> operations) {
        final Topic<String, BudgetOperation> input = topics.topic(Topics.BUDGET_OPERATIONS);
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        // One record, sent at once: no linger, so the delivery timeout may equal the request timeout.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (KafkaProducer<String, BudgetOperation> producer = new KafkaProducer<>(properties,
                input.keySerde().serializer(), input.valueSerde().serializer())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            operations.forEach(operation -> sent.add(producer.send(new ProducerRecord<>(input.name(),
                    operation.getTenant(), operation))));
            for (final Future<RecordMetadata> each : sent) {
                each.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not write the operations to " + input.name() + " at "
                    + bootstrapServers + ": " + e.getCause(), e.getCause());
        } catch (final java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("writing the operations to " + input.name() + " took longer than " + timeout);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private <V> KafkaConsumer<String, V> consumer(final Topic<String, V> topic) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "budget-meter-budgets");
        return new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private List<PartitionInfo> partitionsOf(final KafkaConsumer<String, ?> consumer, final String topic) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers
                    + " (create it with: budget-meter topics)");
        }
        return infos;
    }
}
