package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds dead-letter records that always fit the broker: the original value is kept whole up to a limit and cut
 * beyond it, with the original size recorded, so that a record near the broker's size limit can still be
 * dead-lettered instead of failing the application.
 */
public final class DeadLetters {

    private final int maxValueBytes;

    public DeadLetters(final int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** A dead letter for a record refused for {@code reason}; {@code error} is the exception behind it, or null. */
    public DeadLetter of(final DeadLetterReason reason, final String message, final Throwable error,
                         final SourceRecord source, final String reservationId, final long now) {
        final byte[] value = source.value();
        final boolean cut = value != null && value.length > maxValueBytes;
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setErrorClass(error == null ? null : error.getClass().getName())
                .setErrorMessage(message)
                .setAt(Instant.ofEpochMilli(now))
                .setReservationId(reservationId)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setSourceTimestamp(Instant.ofEpochMilli(source.timestamp()))
                .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setValue(value == null ? null : ByteBuffer.wrap(cut ? Arrays.copyOf(value, maxValueBytes) : value))
                .setValueTruncatedFrom(cut ? value.length : null)
                .build();
    }
}
