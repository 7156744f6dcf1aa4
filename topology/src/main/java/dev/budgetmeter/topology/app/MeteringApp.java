package dev.budgetmeter.topology.app;

import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.MeteringTopology;
import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.processing.RunningTasks;
import dev.budgetmeter.topology.processing.TaskRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metering topology: owns the {@link KafkaStreams} instance, its state listener, its uncaught-exception
 * policy and the {@link CommittedInputClock} its tasks judge silence by. Building the topology stays a pure function
 * ({@link MeteringTopology#build}); everything with a lifecycle lives here.
 *
 * <p>Uncaught exceptions: a transient cause (the schema registry or a broker unreachable) replaces the stream thread,
 * which resumes from the last committed offsets once the cause is gone; anything else, a registry that refuses our
 * requests (credentials, URL) included, shuts the client down so that {@link #isAlive()} turns false and the
 * orchestrator restarts the instance with a clear error in the log. Either way the record that failed was not
 * committed: it is processed again by the replacement thread, or after the restart. Under static membership the
 * replaced thread's group member is removed at once ({@link ReplacedThreadMembers}).
 */
public final class MeteringApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringApp.class);
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final Admin admin;
    private final CommittedInputClock inputClock;
    private final RunningTasks runningTasks;
    private final ReadinessSignal readiness;
    private final List<Set<String>> coPartitioned;

    private MeteringApp(final KafkaStreams streams, final Admin admin, final CommittedInputClock inputClock,
                        final RunningTasks runningTasks, final ReadinessSignal readiness,
                        final List<Set<String>> coPartitioned) {
        this.streams = streams;
        this.admin = admin;
        this.inputClock = inputClock;
        this.runningTasks = runningTasks;
        this.readiness = readiness;
        this.coPartitioned = coPartitioned;
    }

    /** Creates the application for a configuration; {@link #start()} starts it. */
    public static MeteringApp create(final MeteringConfig config) {
        final Properties properties = streamsProperties(config);
        final String applicationId = properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        final Admin admin = Admin.create(new StreamsConfig(properties).getAdminConfigs(applicationId + "-admin"));
        final Pattern input = config.inputTenancy().perTenant() ? TenantTopics.pattern(config.topicPrefix())
                : Pattern.compile(Pattern.quote(TopicRegistry.create(config.topicPrefix(), config.serdeConfig())
                        .name(Topics.STREAM_EVENTS)));
        // Twice per punctuation, so a caught-up task's clock trails the wall clock by about half an interval.
        final CommittedInputClock inputClock = new CommittedInputClock(admin, input, applicationId,
                config.punctuationInterval().dividedBy(2), Time.SYSTEM);
        final ReadinessSignal readiness = new ReadinessSignal();
        final RunningTasks runningTasks = new RunningTasks(readiness::changed);
        final Topology topology = MeteringTopology.build(config, new TaskRuntime(inputClock, runningTasks));
        final KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.setStateListener((next, previous) -> {
            LOG.info("Metering state {} -> {}", previous, next);
            readiness.changed();
        });
        final ReplacedThreadMembers replaced = new ReplacedThreadMembers(admin, applicationId,
                ReplacedThreadMembers.instanceIdOf(properties));
        streams.setUncaughtExceptionHandler(exception -> {
            final StreamThreadExceptionResponse response = onUncaught(exception);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                // The handler runs on the dying stream thread.
                replaced.removeMemberOf(Thread.currentThread().getName());
            }
            return response;
        });
        return new MeteringApp(streams, admin, inputClock, runningTasks, readiness,
                CoPartitionedSources.of(topology.describe()));
    }

    /**
     * The properties Kafka Streams starts with: the configuration's ({@link MeteringConfig#streamsProperties()}) and,
     * unless set otherwise, these exception handlers:
     * <ul>
     *   <li>processing: {@link DeadLetterProcessingExceptionHandler}, so a record that makes a processor throw is
     *       dead-lettered instead of failing the application on every restart;</li>
     *   <li>deserialization: log and fail. Input is read as bytes and decoded by the topology, which dead-letters
     *       what it cannot decode, so this handler only sees records of our own changelogs: failing is right;</li>
     *   <li>production: the default, fail. Under exactly-once, continuing past a failed write would drop a command
     *       or an audit record; dead letters are cut to fit the broker's size limit, so they cannot be too large.</li>
     * </ul>
     */
    public static Properties streamsProperties(final MeteringConfig config) {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class.getName());
        // No global stores here; enabling it now is what Kafka recommends for compatibility with later versions.
        // The assignor builds a config of its own from the consumer's settings, hence the prefixed copy: without
        // it, every stream thread logs that the handler is disabled.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailExceptionHandler.class.getName());
        properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DefaultProductionExceptionHandler.class.getName());
        properties.putAll(config.streamsProperties());
        return properties;
    }

    /**
     * Starts processing, after checking that the topics each task reads together have one partition count
     * ({@link CoPartitionedSources}): an {@link IllegalStateException} says which differ, and nothing starts.
     */
    public void start() {
        CoPartitionedSources.verify(admin, coPartitioned, TOPIC_CHECK_TIMEOUT);
        inputClock.start();
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * The readiness signal: the client is running and every task assigned to it is restored and processing (Kafka
     * Streams reports RUNNING while tasks are still being restored).
     */
    public boolean isReady() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        final Set<TaskId> assigned = streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(TaskMetadata::taskId)
                .collect(Collectors.toSet());
        return runningTasks.allRunning(assigned);
    }

    /**
     * Waits until {@link #isReady()}, the client stops or fails, or {@code timeout} passes; returns
     * {@link #isReady()}. Woken by every state change of the client and every task that starts, not by a timer.
     */
    public boolean awaitReady(final Duration timeout) throws InterruptedException {
        readiness.await(() -> isReady() || !isAlive(), timeout);
        return isReady();
    }

    /** True unless the client stopped or failed: the liveness signal. */
    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED;
    }

    /** Kafka Streams' metrics of this client, the metering sensors included: live objects, as Kafka keeps them. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /**
     * A new binder of this client's metrics to a Micrometer registry ({@link StreamsMeters}): its caller binds it,
     * refreshes it before reading the registry, and closes it.
     */
    public StreamsMeters meterBinder() {
        return new StreamsMeters(streams);
    }

    /**
     * Stops processing, committing what was processed, within the timeout, and leaves the consumer group although the
     * instance is a static member: a clean stop is planned (a rollout, a scale-in), and a static member that stays in
     * the group keeps its tasks stalled until it is back, so holds on them run out while it restarts (seen in the
     * rolling-restart scenario: 26-29 s restarts under load lapsed 203 of 320 60-s holds). Leaving hands the tasks to
     * the other instances, their standbys first, within one rebalance; a crash (kill -9) cannot leave, and static
     * membership still lets the restarted instance take its tasks back without waiting for a session timeout.
     */
    public void close(final Duration timeout) {
        streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        inputClock.close();
        admin.close(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** The policy above; package-private for its test. */
    static StreamThreadExceptionResponse onUncaught(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof RetriableException) {
                LOG.warn("Stream thread failed on a transient cause; replacing it", exception);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        LOG.error("Stream thread failed; shutting the client down", exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
