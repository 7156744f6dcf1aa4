package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.CyclesClient;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.PollContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: reads the commands topic {@code read_committed} as its own consumer group and applies each command to
 * the Cycles server once, then writes its result to the command-results topic.
 *
 * <p><b>Order and concurrency.</b> Confluent's parallel consumer (key ordering) runs up to
 * {@code relay.max.in.flight} commands at once, never two of one reservation (the record key): a reservation's
 * extends, its settlement and its debits reach the server in the order the topology issued them, while many
 * reservations proceed together. It was checked against kafka-clients 4.3.1 (the project's) by this module's tests.
 *
 * <p><b>Exactly once at the server.</b> A command's offset is committed only after its result is written (the
 * processing function returns once the broker acknowledged the result), so a relay killed mid-flight reads its
 * commands again and sends them with the same idempotency keys; the server answers those with its stored results.
 * Every retry resends the same request. A command the server refuses becomes a result and a dead letter; nothing is
 * skipped silently, and no answer makes the relay crash-loop (an undecodable command is dead-lettered, a registry
 * outage waits).
 */
public final class CommandRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRelay.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final RelayConfig config;
    private final String commandsTopic;
    private final String resultsTopic;
    private final String deadLettersTopic;
    private final Deserializer<BudgetCommand> commands;
    private final CommandApplier applier;
    private final ResultWriter writer;
    private final RelayMetrics metrics;
    private final LagProbe lag;
    private final Admin admin;
    private final Clock clock;
    private final ParallelStreamProcessor<byte[], byte[]> consumer;
    private volatile boolean assigned;

    private CommandRelay(final RelayConfig config, final ApiKeys keys, final Clock clock) {
        this.config = config;
        this.clock = clock;
        final TopicRegistry topics = TopicRegistry.create(config.topicPrefix(), config.serdeSettings());
        final Topic<String, BudgetCommand> topic = topics.topic(Topics.COMMANDS);
        this.commandsTopic = topic.name();
        this.resultsTopic = topics.name(Topics.COMMAND_RESULTS);
        this.deadLettersTopic = topics.name(Topics.DEAD_LETTERS);
        this.commands = topic.valueSerde().deserializer();
        this.metrics = new RelayMetrics();
        final CyclesClient client = new CyclesClient(config.cyclesUrl(), keys, config.connectTimeout(),
                config.requestTimeout());
        this.applier = new CommandApplier(new RetryLoop(client, RetryLoop.Sleeper.THREAD),
                new RelayRetryPolicy(config.backoff(), config.authPause()), metrics, clock, config.eventKeyWindow());
        this.writer = new ResultWriter(new KafkaProducer<>(producerSettings(config), new ByteArraySerializer(),
                new ByteArraySerializer()), topics, WRITE_TIMEOUT, clock);
        this.admin = Admin.create(adminSettings(config));
        this.lag = new LagProbe(admin, commandsTopic, config.groupId(), metrics::lag);
        this.consumer = ParallelStreamProcessor.createEosStreamProcessor(ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(new KafkaConsumer<>(consumerSettings(config), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()))
                .ordering(ParallelConsumerOptions.ProcessingOrder.KEY)
                .maxConcurrency(config.maxInFlight())
                .commitMode(ParallelConsumerOptions.CommitMode.PERIODIC_CONSUMER_SYNC)
                .commitInterval(Duration.ofMillis(200))
                // A command that failed for a reason other than the server's answer (the results topic could not
                // be written, the registry was away) is retried after this, its reservation's later commands waiting.
                .defaultMessageRetryDelay(Duration.ofSeconds(1))
                .meterRegistry(metrics.registry())
                .build());
    }

    /** The relay for a configuration; {@link #start()} starts it. */
    public static CommandRelay create(final RelayConfig config, final ApiKeys keys, final Clock clock) {
        return new CommandRelay(config, keys, clock);
    }

    /** The relay with the API keys its configuration and {@code environment} name. */
    public static CommandRelay create(final RelayConfig config, final Map<String, String> environment) {
        final java.nio.file.Path file = config.apiKeysFile().isBlank() ? null : java.nio.file.Path.of(config.apiKeysFile());
        return create(config, ApiKeyRing.load(file, environment), Clock.systemUTC());
    }

    /**
     * Joins the group and starts applying commands.
     *
     * @throws IllegalStateException naming the topic when one the relay reads or writes does not exist
     */
    public void start() {
        requireTopics();
        LOG.info("Relaying {} to {} as group {}, {} commands at once", commandsTopic, config.cyclesUrl(),
                config.groupId(), config.maxInFlight());
        consumer.subscribe(List.of(commandsTopic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
                assigned = true;
                LOG.info("Relay assigned {}", partitions);
            }
        });
        consumer.poll(this::relay);
        lag.start(Duration.ofSeconds(2));
    }

    private void requireTopics() {
        final List<String> needed = List.of(commandsTopic, resultsTopic, deadLettersTopic);
        try {
            final java.util.Set<String> existing = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (final String topic : needed) {
                if (!existing.contains(topic)) {
                    throw new IllegalStateException("topic " + topic + " does not exist (create the topics with:"
                            + " budget-meter topics)");
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up the topics", e);
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list the topics at " + config.clientSettings()
                    .get("bootstrap.servers") + ": " + e, e);
        }
    }

    /** True until the relay failed or was closed: the liveness signal. */
    public boolean isAlive() {
        return !consumer.isClosedOrFailed();
    }

    /** Alive and in its group (possibly with no partition, when there are more instances than partitions). */
    public boolean isReady() {
        return isAlive() && assigned;
    }

    /** The metrics in the Prometheus text format. */
    public String metricsText() {
        return metrics.scrape();
    }

    /** Commands not yet committed by the relay's group, measured now; -1 when the brokers cannot tell. */
    public long lag() {
        return lag.measure();
    }

    /** Stops: commands in flight are not committed and are read again by the next relay of the group. */
    public void close(final Duration timeout) {
        lag.close();
        // Commands in flight finish (or are interrupted and left uncommitted); those not started are left.
        consumer.closeDontDrainFirst(timeout);
        writer.close();
        admin.close(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** The processing function: one command, to its written result. Throws to have the command retried. */
    private void relay(final PollContext<byte[], byte[]> context) {
        final ConsumerRecord<byte[], byte[]> record = context.getSingleConsumerRecord();
        final CommandSource source = new CommandSource(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value());
        metrics.started();
        try {
            final BudgetCommand command = decode(record, source);
            if (command == null) {
                return;
            }
            final Applied applied = applier.apply(command);
            writer.write(applied, source);
            metrics.result(applied.result(), clock.instant());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the relay is stopping: " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " is left for the next relay", e);
        } finally {
            metrics.finished();
        }
    }

    /** The command, or null when it cannot be read: then it is dead-lettered. A registry outage is retried. */
    private BudgetCommand decode(final ConsumerRecord<byte[], byte[]> record, final CommandSource source) {
        try {
            final BudgetCommand command = record.value() == null ? null : commands.deserialize(record.topic(),
                    record.value());
            if (command == null) {
                writer.writeUndecodable("a command record without a value", source);
            }
            return command;
        } catch (final SchemaRegistryUnavailableException transientCause) {
            throw transientCause;
        } catch (final RuntimeException undecodable) {
            LOG.error("Command {}-{}@{} cannot be read; dead-lettered: {}", record.topic(), record.partition(),
                    record.offset(), undecodable.toString());
            writer.writeUndecodable(undecodable.toString(), source);
            return null;
        }
    }

    private static Map<String, Object> consumerSettings(final RelayConfig config) {
        final Map<String, Object> settings = new HashMap<>(config.clientSettings());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-consumer");
        return settings;
    }

    private static Map<String, Object> producerSettings(final RelayConfig config) {
        final Map<String, Object> settings = new HashMap<>(config.clientSettings());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.groupId() + "-results");
        return settings;
    }

    private static Map<String, Object> adminSettings(final RelayConfig config) {
        final Map<String, Object> settings = new HashMap<>(config.clientSettings());
        settings.put("client.id", config.groupId() + "-admin");
        return settings;
    }
}
