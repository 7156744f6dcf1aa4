package dev.budgetmeter.cli.audit;

/** The invariants the {@link LedgerOracle} checks; each {@link Finding} names the one it breaks. */
public enum Rule {
    /** A reservation that must have ended (expected by a worker, or settled by the audit) has no Commit, Release, lapse. */
    TERMINAL_MISSING,
    /** A reservation ended more than once: two Commits or Releases, or one of them and a lapse. */
    TERMINAL_DUPLICATE,
    /** A Commit charges more than the estimate and its COMMITTED audit record does not carry that overage. */
    COMMIT_ABOVE_ESTIMATE,
    /** A Release does not return exactly the estimate. */
    RELEASE_NOT_ESTIMATE,
    /** A Debit is not preceded by the reservation's Commit or Release. */
    DEBIT_UNSETTLED,
    /** An Extend comes after the reservation's Commit or Release. */
    EXTEND_AFTER_SETTLEMENT,
    /** Extend or debit idempotency keys are not numbered 1, 2, ... n, each once. */
    KEY_SEQUENCE,
    /** A reservation has commands but no audit record, so its estimate and history are unknown. */
    AUDIT_MISSING,
    /** What the commands charge differs from the usage the worker priced. */
    CHARGE_MISMATCH,
    /** An Extend after the expiry it extends, or a Commit or Release after expiry plus grace: the authority refuses. */
    COMMAND_AFTER_EXPIRY,
    /** A budget whose remaining is not allocated - spent - reserved - debt. */
    BALANCE_INVARIANT,
    /**
     * With the budget ledger: an allowed reservation without exactly one hold, or (once ended) without exactly one
     * settlement of the same budgets, or a refused one with a hold.
     */
    LEDGER_HOLD,
    /**
     * With the budget ledger, a budget's latest balance against the reservations: when nothing is in flight, a
     * reserved amount other than the estimates of the holds still open on it; a spent plus debt
     * other than what the workers priced of the reservations held on it.
     */
    BUDGET_TOTALS,
    /**
     * An applied event accounted for by no audit record or by two: at an audit record, the events its snapshot says
     * were applied are not the events the reservation's records so far covered ({@code usage}) plus those the
     * snapshot still waits to audit ({@code unaudited_events}).
     */
    USAGE_UNACCOUNTED
}
