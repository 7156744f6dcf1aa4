package dev.budgetmeter.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The delivery outcome of one stream: completes when its End is acknowledged, exceptionally with the stream's first
 * failed event if one failed. Relies on Kafka running the callbacks of one partition in send order, so when the
 * End's callback runs, every earlier event of the stream has reported. Thread-safe.
 */
final class StreamDelivery {

    private final CompletableFuture<Void> outcome = new CompletableFuture<>();
    private final AtomicReference<DeliveryFailedException> firstFailure = new AtomicReference<>();

    void delivered(final EventType type) {
        if (type == EventType.END) {
            settle();
        }
    }

    void failed(final EventType type, final DeliveryFailedException failure) {
        firstFailure.compareAndSet(null, failure);
        if (type == EventType.END) {
            settle();
        }
    }

    /** The stream ended without its End reaching Kafka: nothing more will report. */
    void endNotWritten(final DeliveryFailedException failure) {
        outcome.completeExceptionally(failure);
    }

    /** The stream ended before its Reserve was written: there is nothing to wait for. */
    void nothingWritten() {
        outcome.complete(null);
    }

    /** A view of the outcome that callers cannot complete. */
    CompletableFuture<Void> outcome() {
        return outcome.copy();
    }

    private void settle() {
        final DeliveryFailedException failure = firstFailure.get();
        if (failure == null) {
            outcome.complete(null);
        } else {
            outcome.completeExceptionally(failure);
        }
    }
}
