package dev.budgetmeter.producer;

/** What the budget authority does when a commit exceeds the reservation's estimate (Cycles {@code overage_policy}). */
public enum OveragePolicy {
    /** The commit fails and the reservation stays active. */
    REJECT,
    /** Charges the estimate plus whatever of the overage the budget still covers; never creates debt. The default. */
    ALLOW_IF_AVAILABLE,
    /** Charges everything; a shortfall becomes debt up to the scope's overdraft limit. */
    ALLOW_WITH_OVERDRAFT
}
