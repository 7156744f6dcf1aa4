package dev.budgetmeter.bench.env;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far an application has got through its input: the sum over partitions of the input's end offsets (records
 * produced) and of the group's committed offsets (records processed; under exactly-once an offset is committed in
 * the same transaction as the outputs, so a processed record's outputs are visible). The input is written without
 * transactions, so offsets count records one to one.
 */
public final class InputProgress implements ProgressSource {

    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final String groupId;
    private final List<TopicPartition> partitions;

    /**
     * @param admin      an admin client of the broker
     * @param groupId    the application id
     * @param topic      the input topic
     * @param partitions its partition count
     */
    public InputProgress(final Admin admin, final String groupId, final String topic, final int partitions) {
        this.admin = admin;
        this.groupId = groupId;
        this.partitions = IntStream.range(0, partitions)
                .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
    }

    /** Produced and processed input records now; the lag is their difference. */
    @Override
    public Snapshot snapshot() {
        try {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long produced = 0;
            long processed = 0;
            for (final TopicPartition partition : partitions) {
                produced += ends.get(partition).offset();
                final OffsetAndMetadata offset = committed.get(partition);
                processed += offset == null ? 0 : offset.offset();
            }
            return new Snapshot(System.nanoTime(), produced, processed, produced - processed);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets of " + groupId, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read offsets of " + groupId, e);
        }
    }
}
