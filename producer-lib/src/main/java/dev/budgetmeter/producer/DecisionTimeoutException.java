package dev.budgetmeter.producer;

import java.time.Duration;

/**
 * No decision on a reservation arrived within the meter's decision timeout, or the decisions topic could not be
 * read. In {@link DecisionMode#WAIT} the meter then cancels the stream (its End tells the topology to release
 * whatever the ledger holds for it later), so nothing leaks.
 */
public final class DecisionTimeoutException extends BudgetMeterException {

    private static final long serialVersionUID = 1L;

    DecisionTimeoutException(final String message) {
        super(message);
    }

    static DecisionTimeoutException of(final String reservationId, final Duration timeout, final String topic) {
        return new DecisionTimeoutException("no decision on reservation " + reservationId + " within " + timeout
                + " on " + topic + ": is the topology running with metering.authority=LEDGER?");
    }
}
