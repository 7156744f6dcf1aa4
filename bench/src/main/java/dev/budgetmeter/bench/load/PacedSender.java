package dev.budgetmeter.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Offers records at a fixed rate for a fixed time on a plain Kafka producer, on the calling thread, paced by
 * {@link Pacer}: a slow broker shows as a lower achieved rate (the producer blocks when its buffer is full) rather
 * than as a burst later.
 */
public final class PacedSender {

    private final Producer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Callback countFailures = (metadata, exception) -> {
        if (exception != null) {
            failed.incrementAndGet();
        }
    };

    public PacedSender(final Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /**
     * Sends {@code ratePerSecond} records per second from {@code records} for {@code duration}, then flushes.
     *
     * @return the records sent by this call
     */
    public long send(final Supplier<ProducerRecord<byte[], byte[]>> records, final double ratePerSecond,
                     final Duration duration) {
        final long sentBefore = sent.get();
        final long count = Pacer.run(ratePerSecond, duration, () -> producer.send(records.get(), countFailures),
                soFar -> sent.set(sentBefore + soFar));
        producer.flush();
        return count;
    }

    /** Records sent so far by every call. */
    public long sent() {
        return sent.get();
    }

    /** Records the broker did not take so far. */
    public long failed() {
        return failed.get();
    }
}
