package dev.budgetmeter.relay;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the relay's lag every few seconds: commands readable (read_committed end offsets) minus those its group
 * committed, over every partition of the commands topic. It reads the group's committed offsets, so it counts every
 * instance's backlog, and it is the number an operator alerts on.
 */
final class LagProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String topic;
    private final String groupId;
    private final LongConsumer report;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "budget-meter-relay-lag");
        thread.setDaemon(true);
        return thread;
    });

    LagProbe(final Admin admin, final String topic, final String groupId, final LongConsumer report) {
        this.admin = admin;
        this.topic = topic;
        this.groupId = groupId;
        this.report = report;
    }

    void start(final Duration interval) {
        timer.scheduleWithFixedDelay(this::measure, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The lag now, or -1 when the brokers could not tell. */
    long measure() {
        try {
            final Set<TopicPartition> partitions = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toSet());
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            final var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (final TopicPartition partition : partitions) {
                final OffsetAndMetadata done = committed.get(partition);
                lag += Math.max(0, ends.get(partition).offset() - (done == null ? 0 : done.offset()));
            }
            report.accept(lag);
            return lag;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (final Exception e) {
            LOG.debug("could not measure the relay's lag: {}", e.toString());
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
