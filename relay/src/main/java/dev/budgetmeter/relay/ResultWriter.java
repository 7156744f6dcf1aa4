package dev.budgetmeter.relay;

import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes a command's result (and its dead letter, when it has one) and waits until the broker has them, so that the
 * relay commits the command's offset only after its result is durable. A result goes to the partition of its
 * reservation id, computed as Kafka's default partitioner does for that key: the results topic is read by the
 * lifecycle task that owns the reservation, which reads the same partition number of the stream-events topic.
 */
final class ResultWriter implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final Topic<String, CommandResult> results;
    private final Topic<String, DeadLetter> deadLetters;
    private final Serializer<CommandResult> resultSerializer;
    private final Serializer<DeadLetter> deadLetterSerializer;
    private final Duration timeout;
    private final Clock clock;
    private volatile int resultPartitions;

    ResultWriter(final Producer<byte[], byte[]> producer, final TopicRegistry topics, final Duration timeout,
                 final Clock clock) {
        this.clock = clock;
        this.producer = producer;
        this.results = topics.topic(Topics.COMMAND_RESULTS);
        this.deadLetters = topics.topic(Topics.DEAD_LETTERS);
        this.resultSerializer = results.valueSerde().serializer();
        this.deadLetterSerializer = deadLetters.valueSerde().serializer();
        this.timeout = timeout;
    }

    /** The partition of a reservation's results: murmur2 of the reservation id, as the default partitioner. */
    static int partitionOf(final String reservationId, final int partitions) {
        return Utils.toPositive(Utils.murmur2(reservationId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Writes and waits.
     *
     * @throws IllegalStateException when the broker did not take them within the timeout; the command is then
     *                               applied again later, which the authority answers from its idempotency store
     */
    void write(final Applied applied, final CommandSource source) {
        final CommandResult result = applied.result();
        final Future<?> written = producer.send(new ProducerRecord<>(results.name(),
                partitionOf(result.getReservationId(), resultPartitions()), bytes(result.getCommandId()),
                resultSerializer.serialize(results.name(), result)));
        final Future<?> deadLettered = applied.deadLettered()
                ? producer.send(new ProducerRecord<>(deadLetters.name(), bytes(result.getReservationId()),
                deadLetterSerializer.serialize(deadLetters.name(), deadLetter(applied.deadLetterReason(),
                        describe(result), result.getReservationId(), source, result.getAnsweredAt()))))
                : null;
        await(written, "the result of " + result.getCommandId());
        if (deadLettered != null) {
            await(deadLettered, "the dead letter of " + result.getCommandId());
        }
    }

    /** Dead-letters a command the relay cannot read at all. */
    void writeUndecodable(final String error, final CommandSource source) {
        final String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
        await(producer.send(new ProducerRecord<>(deadLetters.name(), source.key(), deadLetterSerializer.serialize(
                deadLetters.name(), deadLetter(DeadLetterReason.UNDECODABLE, error, key, source, clock.instant())))),
                "the dead letter of " + source.topic() + "-" + source.partition() + "@" + source.offset());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private int resultPartitions() {
        if (resultPartitions == 0) {
            final List<PartitionInfo> partitions = producer.partitionsFor(results.name());
            resultPartitions = partitions.size();
        }
        return resultPartitions;
    }

    private static String describe(final CommandResult result) {
        return result.getOutcome() + " " + result.getIdempotencyKey() + ": "
                + (result.getHttpStatus() == 0 ? "not sent" : "HTTP " + result.getHttpStatus()) + " "
                + (result.getErrorCode() == null ? "" : result.getErrorCode())
                + (result.getMessage() == null ? "" : " (" + result.getMessage() + ")");
    }

    private static DeadLetter deadLetter(final DeadLetterReason reason, final String message,
                                         final String reservationId, final CommandSource source,
                                         final Instant at) {
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setErrorMessage(message)
                .setAt(at)
                .setReservationId(reservationId)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setSourceTimestamp(Instant.ofEpochMilli(source.timestamp()))
                .setKey(source.key() == null ? null : java.nio.ByteBuffer.wrap(source.key()))
                .setValue(source.value() == null ? null : java.nio.ByteBuffer.wrap(source.value()))
                .build();
    }

    private void await(final Future<?> future, final String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not write " + what + ": " + e.getCause(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("writing " + what + " took longer than " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + what, e);
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
