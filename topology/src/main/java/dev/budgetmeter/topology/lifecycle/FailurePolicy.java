package dev.budgetmeter.topology.lifecycle;

/** How a failed or cancelled stream that already produced billable usage is settled. */
public enum FailurePolicy {
    /** Commit the usage observed, settlement PARTIAL_ON_FAILURE: providers bill the tokens they generated. */
    COMMIT_OBSERVED,
    /** Release the whole hold, as the streaming guide's client does; the spend observed is not charged. */
    RELEASE
}
