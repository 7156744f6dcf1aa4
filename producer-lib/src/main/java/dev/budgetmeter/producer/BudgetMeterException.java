package dev.budgetmeter.producer;

/**
 * An event could not be handed to Kafka or written by it. Thrown by the calls that wait for the producer
 * ({@link BudgetMeter#open}, {@link MeteredStream#usage}) and carried by the futures of the terminal calls; always
 * within the meter's configured bounds ({@code blockTimeout} for handing over, {@code deliveryTimeout} for writing).
 */
public class BudgetMeterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BudgetMeterException(final String message, final Throwable cause) {
        super(message, cause);
    }

    public BudgetMeterException(final String message) {
        super(message);
    }
}
