package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.ChunkFlusher;
import dev.budgetmeter.producer.internal.MeterSettings;
import dev.budgetmeter.producer.internal.PendingChunks;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every stream of one meter shares: the meter's settings (its clock, whether chunks coalesce and when they
 * are due), where events go and how their outcomes are counted, the flusher, and whom to tell when a stream ended.
 *
 * @param onEnded called once per stream, under its lock, when it ended
 */
record StreamContext(MeterSettings settings, EventSender sender, DeliveryReporter reporter, ChunkFlusher flusher,
                     Consumer<MeteredStream> onEnded) {

    Clock clock() {
        return settings.clock();
    }

    /** Whether chunk calls coalesce. */
    boolean coalescing() {
        return settings.coalescing();
    }

    PendingChunks newPendingChunks() {
        return new PendingChunks(settings.clock(), settings.chunkInterval().toMillis(),
                settings.chunkTokenThreshold());
    }
}
