package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.Tokens;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Every billable token the workers reported lands in a Commit or a Debit, once: per reservation, the tokens of its
 * Commit plus its Debits equal the tokens of the events the broker acknowledged. This needs the producer's truth,
 * which the cli's oracle (amounts only) does not have.
 */
public final class TokenConservation {

    private TokenConservation() {
    }

    /** One line per reservation whose charged tokens differ from the producer's truth. */
    public static List<String> problems(final LedgerSnapshot snapshot, final ProducerTruth truth) {
        final Trails trails = Trails.of(snapshot);
        final List<String> problems = new ArrayList<>();
        for (final String id : truth.reservations()) {
            final Tokens charged = chargedTokens(trails.of(id));
            final Tokens reported = truth.billedTokens(id);
            if (!charged.equals(reported)) {
                problems.add(id + ": commit and debits charge " + charged + " but the workers reported " + reported);
            }
        }
        return problems;
    }

    static Tokens chargedTokens(final ReservationTrail trail) {
        Tokens total = Tokens.NONE;
        for (final BudgetCommand command : trail.commands()) {
            if (command.getBody() instanceof Commit commit) {
                total = total.plus(tokens(commit.getMetrics()));
            } else if (command.getBody() instanceof Debit debit) {
                total = total.plus(tokens(debit.getMetrics()));
            }
        }
        return total;
    }

    private static Tokens tokens(final Metrics metrics) {
        return new Tokens(metrics.getTokensInput(), metrics.getTokensOutput());
    }
}
