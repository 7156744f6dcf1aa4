package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.schemas.BudgetCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Compares each stream's terminal command with the one its plan calls for.
 *
 * <p>Without faults every stream must get exactly its planned terminal. Under a fault that stops processing for
 * longer than the idle timeout (the app killed, the broker or registry down), a live stream can legitimately be
 * settled by a timer first: then its terminal must have been issued by a timer (no cause event), and the money is
 * still checked exactly by the oracle and {@link TokenConservation} (late usage becomes Debits). When the fault
 * outlasted a hold's {@code expires_at + grace}, the hold lapses instead: no terminal command at all, its usage in
 * Debits, as {@link HoldLapses} checks. Any other deviation, for example a COMPLETED commit for a failed stream, is a
 * problem.
 *
 * @param matched        streams settled exactly as planned
 * @param settledByTimer streams settled by a timer instead, where that was allowed
 * @param lapsed         streams whose hold lapsed, where that was allowed
 * @param problems       one line per stream settled wrongly
 */
public record PlannedTerminals(int matched, int settledByTimer, int lapsed, List<String> problems) {

    public PlannedTerminals {
        problems = List.copyOf(problems);
    }

    /**
     * @param timerSettlementAllowed whether a fault in the scenario may make a timer settle a live stream first, or
     *                               its hold lapse
     */
    public static PlannedTerminals compare(final LedgerSnapshot snapshot, final Collection<StreamPlan> plans,
                                           final boolean timerSettlementAllowed) {
        final Trails trails = Trails.of(snapshot);
        int matched = 0;
        int byTimer = 0;
        int lapsed = 0;
        final List<String> problems = new ArrayList<>();
        for (final StreamPlan plan : plans) {
            final ReservationTrail trail = trails.of(plan.reservationId());
            final List<BudgetCommand> terminals = trail.terminals();
            if (HoldLapses.lapsed(trail)) {
                if (timerSettlementAllowed) {
                    lapsed++;
                    problems.addAll(HoldLapses.problems(trail));
                } else {
                    problems.add(plan.reservationId() + ": its hold lapsed, planned " + plan.plannedTerminal());
                }
            } else if (terminals.size() != 1) {
                problems.add(plan.reservationId() + ": " + terminals.size() + " terminal commands, planned "
                        + plan.plannedTerminal());
            } else if (plan.plannedTerminal().matches(terminals.get(0))) {
                matched++;
            } else if (timerSettlementAllowed && terminals.get(0).getCauseEventId() == null) {
                byTimer++;
            } else {
                problems.add(plan.reservationId() + ": planned " + plan.plannedTerminal() + " (" + plan.ending()
                        + ") but got " + describe(terminals.get(0)));
            }
        }
        return new PlannedTerminals(matched, byTimer, lapsed, problems);
    }

    /** For the figures: how many of {@code streams} a timer settled instead of their plan, and how many lapsed. */
    public String timerSettlements(final int streams) {
        return settledByTimer + " of " + streams + " streams settled by a timer, " + lapsed + " lapsed";
    }

    private static String describe(final BudgetCommand command) {
        return command.getIdempotencyKey() + " " + command.getBody() + " caused by " + command.getCauseEventId();
    }
}
