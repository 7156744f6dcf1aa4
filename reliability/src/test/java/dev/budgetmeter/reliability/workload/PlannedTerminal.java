package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.Settlement;

/**
 * The terminal command a stream gets when nothing goes wrong: a Commit with a settlement, or a Release with a reason.
 * Immutable.
 *
 * @param settlement    the Commit's settlement, or null for a Release
 * @param releaseReason the Release's reason, or null for a Commit
 */
public record PlannedTerminal(Settlement settlement, String releaseReason) {

    public static PlannedTerminal commit(final Settlement settlement) {
        return new PlannedTerminal(settlement, null);
    }

    public static PlannedTerminal release(final String reason) {
        return new PlannedTerminal(null, reason);
    }

    /** Whether {@code command} is this terminal: same kind, same settlement or reason. */
    public boolean matches(final BudgetCommand command) {
        if (settlement != null) {
            return command.getBody() instanceof Commit commit && commit.getSettlement() == settlement;
        }
        return command.getBody() instanceof Release release && release.getReason().equals(releaseReason);
    }

    @Override
    public String toString() {
        return settlement != null ? "Commit(" + settlement + ")" : "Release(" + releaseReason + ")";
    }
}
