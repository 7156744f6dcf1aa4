package dev.budgetmeter.producer;

/**
 * The budget authority refused a reservation: nothing is held for it. Names the reservation, the reason code and,
 * when one budget refused, its scope. Thrown by {@link BudgetMeter#open} in {@link DecisionMode#WAIT}, and by
 * {@link MeteredStream#chunk} after a refusal in {@link DecisionMode#OPTIMISTIC}.
 */
public final class BudgetRefusedException extends BudgetMeterException {

    private static final long serialVersionUID = 1L;

    private final String reservationId;
    private final transient Decision decision;

    BudgetRefusedException(final String reservationId, final Decision decision) {
        super("reservation " + reservationId + " refused: " + decision.reasonCode().orElse("DENY")
                + decision.deniedScope().map(scope -> " on scope " + scope).orElse(""));
        this.reservationId = reservationId;
        this.decision = decision;
    }

    public String reservationId() {
        return reservationId;
    }

    /** The refusal itself. */
    public Decision decision() {
        return decision;
    }
}
