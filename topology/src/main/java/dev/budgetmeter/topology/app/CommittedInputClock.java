package dev.budgetmeter.topology.app;

import dev.budgetmeter.topology.processing.InputClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InputClock} of one application instance, from Kafka's own bookkeeping, so that it holds whatever
 * happens to the instance: every interval it reads the end offsets of the input topics' partitions (read_committed)
 * and the offsets the application's consumer group committed, and each partition's clock moves to the time of the
 * newest end offset the group has reached ({@link InputProgress}). With several input topics (one per tenant, read by
 * a pattern) a task reads partition {@code p} of each, so its clock is the earliest of theirs: silence is judged only
 * on input read from every one of them. Committed offsets are those of the exactly-once
 * transactions, so the clock never runs ahead of state that a crash could roll back. Kafka Streams commits past
 * transaction markers once a partition is drained, so a transactional producer of input does not stall it.
 *
 * <p>Samples are taken on a thread of its own and read by the stream threads from memory. While the brokers cannot
 * be asked, the clock stands still: silence is not judged then, which is the safe side (holds are still extended on
 * the wall clock). It lags the wall clock by about one interval when the input is caught up.
 */
public final class CommittedInputClock implements InputClock, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedInputClock.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int REFRESH_PARTITIONS_EVERY = 30;

    private final Admin admin;
    private final Pattern topics;
    private final String groupId;
    private final Duration interval;
    private final Time time;
    private final Map<TopicPartition, InputProgress> progress = new HashMap<>();
    private final Map<Integer, Long> processedBefore = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler;
    private List<TopicPartition> partitions = List.of();
    private int rounds;
    private int failuresInARow;

    /**
     * @param admin    an admin client of the cluster; the caller closes it after this clock
     * @param topic    the input topic
     * @param groupId  the application's consumer group: its application id
     * @param interval how often to sample
     */
    public CommittedInputClock(final Admin admin, final String topic, final String groupId, final Duration interval,
                               final Time time) {
        this(admin, Pattern.compile(Pattern.quote(topic)), groupId, interval, time);
    }

    /**
     * @param topics   the input topics: every topic whose name matches, looked up again every
     *                 {@value #REFRESH_PARTITIONS_EVERY} samples
     * @param groupId  the application's consumer group: its application id
     * @param interval how often to sample
     */
    public CommittedInputClock(final Admin admin, final Pattern topics, final String groupId, final Duration interval,
                               final Time time) {
        this.admin = admin;
        this.topics = topics;
        this.groupId = groupId;
        this.interval = interval;
        this.time = time;
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, groupId + "-input-clock");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sampling. */
    public void start() {
        sampler.scheduleWithFixedDelay(this::sampleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long processedBefore(final int partition, final long now) {
        return Math.min(now, processedBefore.getOrDefault(partition, Long.MIN_VALUE));
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sampleSafely() {
        try {
            sample();
            failuresInARow = 0;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Exception e) {
            // Logged once per stretch of failures: the clock stands still meanwhile, which only delays idle timeouts.
            if (failuresInARow++ == 0) {
                LOG.warn("Cannot read the input progress of {} ({}); idle timeouts wait until it can be read",
                        topics, e.toString());
            }
        }
    }

    /** One round: end offsets first, then the committed offsets, which only grow, so reading them later is safe. */
    void sample() throws Exception {
        if (partitions.isEmpty() || rounds++ % REFRESH_PARTITIONS_EVERY == 0) {
            partitions = partitionsMatching();
        }
        final long at = time.milliseconds();
        final Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        final Map<TopicPartition, Long> starts = startsWithoutCommit(committed);
        final Map<Integer, Long> earliest = new HashMap<>();
        for (final TopicPartition partition : partitions) {
            final InputProgress clock = progress.computeIfAbsent(partition, p -> new InputProgress());
            clock.sampled(at, ends.get(partition).offset());
            final OffsetAndMetadata offset = committed.get(partition);
            clock.committed(offset != null ? offset.offset() : starts.get(partition));
            earliest.merge(partition.partition(), clock.processedBefore(), Math::min);
        }
        processedBefore.putAll(earliest);
    }

    /**
     * Where the group starts on partitions it has never committed: the log start (it reads from the earliest), so a
     * partition it has nothing to read on, empty or emptied by retention, counts as read.
     */
    private Map<TopicPartition, Long> startsWithoutCommit(final Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> uncommitted = partitions.stream()
                .filter(partition -> committed.get(partition) == null)
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest()));
        if (uncommitted.isEmpty()) {
            return Map.of();
        }
        return admin.listOffsets(uncommitted).all().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private List<TopicPartition> partitionsMatching() throws Exception {
        final Set<String> names = admin.listTopics().names().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .stream().filter(name -> topics.matcher(name).matches()).collect(Collectors.toSet());
        if (names.isEmpty()) {
            return List.of();
        }
        final Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return descriptions.values().stream().flatMap(description -> description.partitions().stream()
                .map(info -> new TopicPartition(description.name(), info.partition()))).toList();
    }
}
