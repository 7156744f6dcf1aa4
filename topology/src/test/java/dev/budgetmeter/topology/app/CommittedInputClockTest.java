package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.topics.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The input clock against a real broker: it stands still while the group's committed offset is behind what was
 * written, and moves to the time of the newest end offset the group reached once it is.
 */
@WithKafkaStack
class CommittedInputClockTest {

    private final String topic = "clock-" + UUID.randomUUID().toString().substring(0, 8);
    private final String group = topic + "-group";
    private final Admin admin;
    private final KafkaStack stack;
    private CommittedInputClock clock;

    CommittedInputClockTest(final KafkaStack stack) throws Exception {
        this.stack = stack;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        TopicAdmin.createAndAwaitLeaders(admin, List.of(new NewTopic(topic, 2, (short) 1)), Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        if (clock != null) {
            clock.close();
        }
        admin.close();
    }

    @Test
    void the_clock_waits_for_the_group_to_commit_what_was_written_then_follows_the_samples() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
        clock = new CommittedInputClock(admin, topic, group, Duration.ofMillis(100), Time.SYSTEM);
        final long started = System.currentTimeMillis();
        clock.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> clock.processedBefore(1, Long.MAX_VALUE) >= started);
        assertThat(clock.processedBefore(1, Long.MAX_VALUE)).as("partition 1 is empty: read").isGreaterThan(started);
        Thread.sleep(500);
        assertThat(clock.processedBefore(0, Long.MAX_VALUE)).as("10 records, nothing committed")
                .isEqualTo(Long.MIN_VALUE);

        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(10)))
                .all().get();
        final long committed = System.currentTimeMillis();

        await().atMost(Duration.ofSeconds(30)).until(() -> clock.processedBefore(0, Long.MAX_VALUE) >= committed);
        assertThat(clock.processedBefore(0, 1L)).as("never ahead of the wall clock").isEqualTo(1L);
    }

    @Test
    void with_several_input_topics_a_partitions_clock_waits_for_the_slowest_of_them() throws Exception {
        final String second = topic + "-second";
        TopicAdmin.createAndAwaitLeaders(admin, List.of(new NewTopic(second, 2, (short) 1)), Duration.ofSeconds(60));
        clock = new CommittedInputClock(admin, Pattern.compile(Pattern.quote(topic) + "(-second)?"), group,
                Duration.ofMillis(100), Time.SYSTEM);
        clock.start();
        final long emptyAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.processedBefore(0, Long.MAX_VALUE) >= emptyAt);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(second, 0, "k", "unread")).get();
        }
        final long written = System.currentTimeMillis();
        Thread.sleep(500);
        assertThat(clock.processedBefore(0, Long.MAX_VALUE)).as("the second topic's record is unread")
                .isLessThan(written);
        assertThat(clock.processedBefore(1, Long.MAX_VALUE)).as("partition 1 of both is empty").isGreaterThan(written);

        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(second, 0), new OffsetAndMetadata(1)))
                .all().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.processedBefore(0, Long.MAX_VALUE) >= written);
    }
}
