package dev.budgetmeter.producer;

/**
 * One event of one stream was not written to the stream-events topic: Kafka refused it, did not acknowledge it
 * within the delivery timeout, or could not even take it within the block timeout (broker unreachable, topic
 * missing, producer buffer full). Says which event: reservation id, sequence number and type.
 *
 * <p>Every such failure reaches the meter's {@link DeliveryListener}, the {@link MeterMetrics#eventsFailed()} counter
 * and a WARN log line; the caller also sees it, thrown or through its stream's terminal future.
 */
public final class DeliveryFailedException extends BudgetMeterException {

    private static final long serialVersionUID = 1L;

    private final String reservationId;
    private final long seq;
    private final EventType eventType;

    public DeliveryFailedException(final String message, final String reservationId, final long seq,
            final EventType eventType, final Throwable cause) {
        super(message, cause);
        this.reservationId = reservationId;
        this.seq = seq;
        this.eventType = eventType;
    }

    /** The reservation (the record key) of the event. */
    public String reservationId() {
        return reservationId;
    }

    /** The sequence number the event has, or would have had, in its stream. */
    public long seq() {
        return seq;
    }

    public EventType eventType() {
        return eventType;
    }
}
