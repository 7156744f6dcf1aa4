package dev.budgetmeter.topology.lifecycle;

/** Who decides the Reserves and holds the budgets whose balances the lifecycle's settlements move. */
public enum Authority {
    /**
     * The budget ledger inside the topology: every Reserve waits for its decision, every settlement is applied to the
     * tenant's budgets there, exactly once with everything else.
     */
    LEDGER,
    /**
     * An authority outside (a Cycles server, or none for metering only): it decided the hold before the Reserve was
     * written; the commands topic carries the settlements to it.
     */
    EXTERNAL,
    /**
     * A Cycles server, through the relay: as {@link #EXTERNAL} (the server decided the hold before the Reserve was
     * written), and the lifecycle reads the server's answers from the command-results topic: a refused extend stops
     * the heartbeats and counts as a lapse, a commit recovered as an event and a settlement done elsewhere are
     * audited.
     */
    CYCLES
}
