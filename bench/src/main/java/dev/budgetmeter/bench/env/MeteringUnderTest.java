package dev.budgetmeter.bench.env;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.time.Duration;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The real metering application ({@link MeteringApp}) on the run's broker, started and ready: with the default
 * external authority, or with the budget ledger when its configuration says {@code metering.authority=LEDGER}.
 */
public final class MeteringUnderTest implements AppUnderTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final MeteringApp app;
    private final MeteringConfig config;
    private final StateDirectory stateDirectory;
    private final String inputTopic;
    private final String label;

    private MeteringUnderTest(final MeteringApp app, final MeteringConfig config, final StateDirectory stateDirectory,
                              final String inputTopic, final String label) {
        this.app = app;
        this.config = config;
        this.stateDirectory = stateDirectory;
        this.inputTopic = inputTopic;
        this.label = label;
    }

    /**
     * Starts the application and waits until it is running.
     *
     * @param label          its name in reports, e.g. {@code metering}
     * @param config         its configuration ({@link BenchStreamsConfig})
     * @param topics         its topics, already created
     * @param stateDirectory its state directory, removed on close
     * @throws IllegalStateException when it is not running within two minutes
     */
    public static MeteringUnderTest start(final String label, final MeteringConfig config,
                                          final TopicRegistry topics, final StateDirectory stateDirectory) {
        final MeteringApp app = MeteringApp.create(config);
        app.start();
        final MeteringUnderTest started = new MeteringUnderTest(app, config, stateDirectory,
                topics.name(Topics.STREAM_EVENTS), label);
        if (!Poll.until(app::isReady, READY_TIMEOUT, Duration.ofMillis(100))) {
            started.close();
            throw new IllegalStateException("the " + label + " application was not running within " + READY_TIMEOUT
                    + " (state " + app.state() + ")");
        }
        return started;
    }

    @Override
    public String applicationId() {
        return config.getString(MeteringConfig.APPLICATION_ID_CONFIG);
    }

    @Override
    public String inputTopic() {
        return inputTopic;
    }

    @Override
    public String label() {
        return label;
    }

    /** The punctuation interval the application runs with. */
    public Duration punctuationInterval() {
        return config.punctuationInterval();
    }

    /** The idle timeout the application runs with. */
    public Duration idleTimeout() {
        return Duration.ofMillis(config.getLong(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG));
    }

    /** The commit interval the application runs with: Kafka Streams' default for exactly-once unless set. */
    public Duration commitInterval() {
        return Duration.ofMillis(new StreamsConfig(config.streamsProperties())
                .getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    }

    @Override
    public void close() {
        try {
            app.close(Duration.ofSeconds(30));
        } finally {
            stateDirectory.close();
        }
    }
}
