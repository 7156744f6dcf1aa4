package dev.budgetmeter.bench.env;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * A throughput baseline running: one of the {@link BaselineTopologies} (the pass-through, or the stateful floor) from
 * the stream-events topic to the commands topic, with the metering application's Streams configuration (exactly-once
 * and all) under its own application id. What the metering topology costs on top of Kafka Streams itself, and on
 * top of the least any stateful exactly-once processor does, is the difference.
 */
public final class BaselineUnderTest implements AppUnderTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaStreams streams;
    private final String applicationId;
    private final String inputTopic;
    private final StateDirectory stateDirectory;
    private final String label;

    private BaselineUnderTest(final KafkaStreams streams, final String applicationId, final String inputTopic,
                              final StateDirectory stateDirectory, final String label) {
        this.label = label;
        this.streams = streams;
        this.applicationId = applicationId;
        this.inputTopic = inputTopic;
        this.stateDirectory = stateDirectory;
    }

    /**
     * Starts the pass-through on the stream-events and commands topics of {@code topics} and waits until it runs.
     *
     * @param config         the configuration, from {@link BenchStreamsConfig}, whose Streams properties are used
     * @param topics         its topics, already created
     * @param stateDirectory its state directory, removed on close
     */
    public static BaselineUnderTest passThrough(final MeteringConfig config, final TopicRegistry topics,
                                                final StateDirectory stateDirectory) {
        return start(config, topics, stateDirectory, "pass-through", BaselineTopologies::passThrough);
    }

    /** Starts the stateful floor, as {@link #passThrough} starts the pass-through. */
    public static BaselineUnderTest statefulFloor(final MeteringConfig config, final TopicRegistry topics,
                                                  final StateDirectory stateDirectory) {
        return start(config, topics, stateDirectory, "stateful-floor", BaselineTopologies::statefulFloor);
    }

    private static BaselineUnderTest start(final MeteringConfig config, final TopicRegistry topics,
                                           final StateDirectory stateDirectory, final String label,
                                           final BiFunction<String, String, Topology> topology) {
        final String input = topics.name(Topics.STREAM_EVENTS);
        final Topology built = topology.apply(input, topics.name(Topics.COMMANDS));
        final KafkaStreams streams = new KafkaStreams(built, config.streamsProperties());
        streams.start();
        final BaselineUnderTest started = new BaselineUnderTest(streams,
                config.getString(MeteringConfig.APPLICATION_ID_CONFIG), input, stateDirectory, label);
        if (!Poll.until(() -> streams.state() == KafkaStreams.State.RUNNING, READY_TIMEOUT,
                Duration.ofMillis(100))) {
            started.close();
            throw new IllegalStateException("the " + label + " baseline was not running within " + READY_TIMEOUT
                    + " (state " + streams.state() + ")");
        }
        return started;
    }

    @Override
    public String applicationId() {
        return applicationId;
    }

    @Override
    public String inputTopic() {
        return inputTopic;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void close() {
        try {
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30)));
        } finally {
            stateDirectory.close();
        }
    }
}
