package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.PendingChunks;
import dev.budgetmeter.producer.internal.ChunkFlusher;
import dev.budgetmeter.producer.internal.EventEncoder;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every stream of one meter shares: where events go, how they are encoded and counted, the flusher, and whom
 * to tell when a stream ended.
 *
 * @param coalescing          whether chunk calls coalesce
 * @param chunkIntervalMillis longest wait of a coalesced token
 * @param chunkTokenThreshold tokens that make pending chunks due at once
 * @param onEnded             called once per stream, under its lock, when it ended
 */
record StreamContext(EventSender sender, EventEncoder encoder, DeliveryReporter reporter, ChunkFlusher flusher,
                     Clock clock, boolean coalescing, long chunkIntervalMillis, long chunkTokenThreshold,
                     Consumer<KafkaMeteredStream> onEnded) {

    PendingChunks newPendingChunks() {
        return new PendingChunks(clock, chunkIntervalMillis, chunkTokenThreshold);
    }
}
