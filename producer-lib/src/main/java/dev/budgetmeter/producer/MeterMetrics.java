package dev.budgetmeter.producer;

/**
 * A snapshot of one meter's counters since it was built. Counts only grow; each is read separately, so a snapshot
 * taken while events are in flight may be off by those events. Once everything settled (after
 * {@link BudgetMeter#flush()}), {@code eventsSent == eventsDelivered + eventsFailed}.
 *
 * @param eventsSent      events handed to Kafka (the producer accepted them)
 * @param eventsDelivered events Kafka acknowledged ({@code acks=all})
 * @param eventsFailed    events accepted but not written (refused by the broker, or not acknowledged within the
 *                        delivery timeout, or aborted by close)
 * @param eventsRefused   events the producer did not accept within the block timeout (broker unreachable, topic
 *                        missing, buffer full) or could not serialize; a coalesced chunk refused on the background
 *                        flusher keeps its tokens for the next attempt
 * @param chunkCalls      calls to {@link MeteredStream#chunk} (provider chunks reported)
 * @param chunkEvents     chunk events handed to Kafka for them; {@link #coalescingFactor()} is the ratio
 * @param streamsOpened   streams opened (their Reserve was handed to Kafka)
 * @param streamsOpen     streams open now (opened, not yet ended)
 */
public record MeterMetrics(long eventsSent, long eventsDelivered, long eventsFailed, long eventsRefused,
                           long chunkCalls, long chunkEvents, long streamsOpened, long streamsOpen) {

    /** Provider chunks per chunk event, 0 before the first chunk event. */
    public double coalescingFactor() {
        return chunkEvents == 0 ? 0 : (double) chunkCalls / chunkEvents;
    }
}
