package dev.budgetmeter.bench.env;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records the topics under a name prefix hold: the sum of their partitions' end offsets. Under
 * exactly-once this counts one transaction marker per partition and commit too, a fraction of a percent at the
 * rates measured here.
 */
public final class TopicVolumes {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicVolumes() {
    }

    /** Records per topic, by full topic name, of every topic whose name starts with {@code prefix}. */
    public static Map<String, Long> of(final Admin admin, final String prefix) {
        try {
            final Set<String> names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<String, TopicDescription> topics = admin.describeTopics(names.stream()
                    .filter(name -> name.startsWith(prefix)).toList()).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                    latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<String, Long> records = new TreeMap<>();
            ends.forEach((partition, end) -> records.merge(partition.topic(), end.offset(), Long::sum));
            return records;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic sizes", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the sizes of the topics under " + prefix, e);
        }
    }
}
