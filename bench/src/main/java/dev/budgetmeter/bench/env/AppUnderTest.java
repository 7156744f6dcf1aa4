package dev.budgetmeter.bench.env;

/**
 * A Kafka Streams application the throughput and latency scenarios load: its consumer group (the application id)
 * and the topic it reads. Its progress is read from the group's committed offsets, the same way for every
 * application, so that the metering topology and its baseline are measured alike.
 */
public interface AppUnderTest extends AutoCloseable {

    /** The application id, which is also the consumer group id. */
    String applicationId();

    /** The full name of the input topic. */
    String inputTopic();

    /** A short name for reports, e.g. {@code metering} or {@code baseline}. */
    String label();

    /** Stops the application and removes its local state. */
    @Override
    void close();
}
