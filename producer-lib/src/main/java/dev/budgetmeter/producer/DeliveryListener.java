package dev.budgetmeter.producer;

/**
 * Told about every event that was not written, whichever thread or call it came from: the meter-wide channel for
 * failures that no caller waits for (for example a coalesced chunk sent by the background flusher).
 *
 * <p>Called on a Kafka producer thread or on the calling thread; it must be quick and must not block or call back
 * into the meter. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface DeliveryListener {

    /** A listener that does nothing beyond the meter's own counting and logging. */
    DeliveryListener NONE = failure -> {
    };

    /** One event was not written. */
    void onDeliveryFailure(DeliveryFailedException failure);
}
