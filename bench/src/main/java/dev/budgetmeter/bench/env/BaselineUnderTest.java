package dev.budgetmeter.bench.env;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The throughput baseline: an identity topology that copies the input topic's bytes to the commands topic, with the
 * metering application's Streams configuration (exactly-once and all) under its own application id. What the
 * metering topology costs on top of Kafka Streams itself is the difference between the two.
 */
public final class PassThroughUnderTest implements AppUnderTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaStreams streams;
    private final String applicationId;
    private final String inputTopic;
    private final StateDirectory stateDirectory;

    private PassThroughUnderTest(final KafkaStreams streams, final String applicationId, final String inputTopic,
                                 final StateDirectory stateDirectory) {
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
    public static PassThroughUnderTest start(final MeteringConfig config, final TopicRegistry topics,
                                             final StateDirectory stateDirectory) {
        final String input = topics.name(Topics.STREAM_EVENTS);
        final KafkaStreams streams = new KafkaStreams(topology(input, topics.name(Topics.COMMANDS)),
                config.streamsProperties());
        streams.start();
        final PassThroughUnderTest started = new PassThroughUnderTest(streams,
                config.getString(MeteringConfig.APPLICATION_ID_CONFIG), input, stateDirectory);
        if (!Poll.until(() -> streams.state() == KafkaStreams.State.RUNNING, READY_TIMEOUT,
                Duration.ofMillis(100))) {
            started.close();
            throw new IllegalStateException("the pass-through baseline was not running within " + READY_TIMEOUT
                    + " (state " + streams.state() + ")");
        }
        return started;
    }

    /** Bytes in, the same bytes out: no decoding, no state. */
    static Topology topology(final String input, final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-source"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-sink"));
        return builder.build();
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
        return "baseline";
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
