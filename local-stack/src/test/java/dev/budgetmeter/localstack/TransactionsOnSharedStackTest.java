package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static dev.budgetmeter.localstack.KafkaTestClients.READ_COMMITTED;
import static dev.budgetmeter.localstack.KafkaTestClients.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaStack
class TransactionsOnSharedStackTest {

    private static final String TOPIC = "transactions-test";

    @Test
    void read_committed_consumer_sees_committed_records_but_not_aborted_ones(final KafkaStack stack) throws Exception {
        // Given one partition, so offset order is the order of the writes below
        KafkaTestClients.createTopic(stack.bootstrapServers(), TOPIC, 1);

        // When one transaction is aborted and the next one committed
        try (KafkaProducer<String, String> producer =
                     KafkaTestClients.transactionalProducer(stack.bootstrapServers(), "transactions-test-tx")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "aborted-1"));
            producer.send(new ProducerRecord<>(TOPIC, "k", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed-1"));
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed-2"));
            producer.commitTransaction();
        }

        // Then read_committed sees only the committed records; the aborted ones were written (read_uncommitted sees
        // them) and came first, so having read the committed ones proves the aborted ones were skipped
        assertThat(KafkaTestClients.readValues(stack.bootstrapServers(), TOPIC, READ_COMMITTED, 2))
                .containsExactly("committed-1", "committed-2");
        assertThat(KafkaTestClients.readValues(stack.bootstrapServers(), TOPIC, READ_UNCOMMITTED, 4))
                .containsExactly("aborted-1", "aborted-2", "committed-1", "committed-2");
        SharedStacksSeen.record(stack);
    }
}
