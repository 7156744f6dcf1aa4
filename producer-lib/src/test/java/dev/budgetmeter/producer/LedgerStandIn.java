package dev.budgetmeter.producer;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Answers Reserves the way the budget ledger does on the wire, on the real broker: reads the Reserves of a test's
 * stream-events topic and writes one {@link Decision} per Reserve, in a transaction, keyed by reservation id, to
 * the partition of the decisions topic the Reserve names. What it answers is the test's rule; a rule that returns
 * null answers nothing. The ledger's own rules are tested in the topology module.
 */
final class LedgerStandIn implements AutoCloseable {

    /** Partitions of the decisions topic in these tests. */
    static final int PARTITIONS = 3;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final KafkaConsumer<String, StreamEvent> reserves;
    private final KafkaProducer<String, Decision> decisions;
    private final String decisionsTopic;
    private final Function<Reserve, Decision.Builder> rule;
    private final List<Reserve> answered = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private LedgerStandIn(final KafkaStack stack, final StreamEventsTopic events,
                          final Function<Reserve, Decision.Builder> rule) {
        final TopicRegistry registry = TopicRegistry.create(events.prefix(),
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl()));
        final Topic<String, StreamEvent> input = registry.topic(Topics.STREAM_EVENTS);
        final Topic<String, Decision> output = registry.topic(Topics.DECISIONS);
        this.decisionsTopic = output.name();
        this.rule = rule;
        this.reserves = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ledger-stand-in-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                input.keySerde().deserializer(), input.valueSerde().deserializer());
        reserves.subscribe(List.of(input.name()));
        this.decisions = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ledger-stand-in-" + UUID.randomUUID()),
                output.keySerde().serializer(), output.valueSerde().serializer());
        decisions.initTransactions();
        this.thread = new Thread(this::answer, "ledger-stand-in");
    }

    /** Creates the decisions topic beside the test's events topic and starts answering with {@code rule}. */
    static LedgerStandIn start(final KafkaStack stack, final StreamEventsTopic events,
                               final Function<Reserve, Decision.Builder> rule) {
        createDecisionsTopic(stack, events.prefix());
        final LedgerStandIn ledger = new LedgerStandIn(stack, events, rule);
        ledger.thread.start();
        return ledger;
    }

    static void createDecisionsTopic(final KafkaStack stack, final String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicAdmin.createAndAwaitLeaders(admin,
                    List.of(new NewTopic(Topics.DECISIONS.name(prefix), PARTITIONS, (short) 1)), BOUND);
        }
    }

    /** An allowing decision, for a rule to change. */
    static Decision.Builder allow() {
        return Decision.newBuilder().setDecision(DecisionKind.ALLOW).setAffectedScopes(List.of("tenant:acme"))
                .setBalances(List.of());
    }

    /** A refusal with a reason and the scope that refused. */
    static Decision.Builder deny(final String reason, final String scope) {
        return Decision.newBuilder().setDecision(DecisionKind.DENY).setReasonCode(reason).setDeniedScope(scope)
                .setAffectedScopes(List.of()).setBalances(List.of());
    }

    /** The Reserves answered so far, with the reply partition each named. */
    List<Reserve> answered() {
        return List.copyOf(answered);
    }

    /** Writes a decision for a reservation that no Reserve asked for, as another worker's would be. */
    void answerUnasked(final String reservationId, final int partition) {
        send(reservationId, "unasked:reserve", partition, allow());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reserves.wakeup();
        thread.join(BOUND.toMillis());
        decisions.close();
    }

    private void answer() {
        try {
            while (!closed) {
                for (final ConsumerRecord<String, StreamEvent> record : reserves.poll(Duration.ofMillis(100))) {
                    if (record.value().getBody() instanceof Reserve reserve) {
                        final Decision.Builder decision = rule.apply(reserve);
                        if (decision != null) {
                            send(record.key(), reserve.getIdempotencyKey(), reserve.getReplyPartition(), decision);
                        }
                        answered.add(reserve);
                    }
                }
            }
        } catch (final WakeupException closing) {
            // close()
        } finally {
            reserves.close();
        }
    }

    private synchronized void send(final String reservationId, final String reserveEventId, final Integer partition,
                                   final Decision.Builder decision) {
        decisions.beginTransaction();
        decisions.send(new ProducerRecord<>(decisionsTopic, partition, reservationId, decision
                .setReservationId(reservationId).setReserveEventId(reserveEventId).setReplyPartition(partition)
                .setDecidedAt(Instant.now()).build()));
        decisions.commitTransaction();
    }
}
