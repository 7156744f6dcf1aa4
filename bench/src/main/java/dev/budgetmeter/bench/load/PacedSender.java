package dev.budgetmeter.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Offers records at a fixed rate for a fixed time on a plain Kafka producer, on the calling thread: it sends what is
 * due every ~0.2 ms, so the load is smooth, and never more than is due, so a slow broker shows as a lower
 * achieved rate (the producer blocks when its buffer is full) rather than as a burst later.
 */
public final class PacedSender {

    private static final long PARK_NANOS = 200_000L;
    private static final long MAX_BURST = 1_024;

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
        final long start = System.nanoTime();
        final long length = duration.toNanos();
        final long sentBefore = sent.get();
        long count = 0;
        for (long elapsed = 0; elapsed < length; elapsed = System.nanoTime() - start) {
            final long due = (long) (elapsed * ratePerSecond / 1e9);
            // A bounded burst, so a generator that falls behind still stops on time.
            final long burstEnd = Math.min(due, count + MAX_BURST);
            while (count < burstEnd) {
                producer.send(records.get(), countFailures);
                count++;
            }
            sent.set(sentBefore + count);
            if (count >= due) {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
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
