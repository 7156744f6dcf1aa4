package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Release;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The cli's per-reservation view ({@link ReservationTrail}) of every reservation in a ledger snapshot. */
public final class Trails {

    private final Map<String, ReservationTrail> byId;

    private Trails(final Map<String, ReservationTrail> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static Trails of(final LedgerSnapshot snapshot) {
        final Map<String, List<BudgetCommand>> commands = new HashMap<>();
        final Map<String, List<AuditRecord>> audits = new HashMap<>();
        snapshot.commands().forEach(command -> commands.computeIfAbsent(command.getReservationId(),
                id -> new ArrayList<>()).add(command));
        snapshot.audits().forEach(audit -> audits.computeIfAbsent(audit.getReservationId(),
                id -> new ArrayList<>()).add(audit));
        final Map<String, ReservationTrail> trails = new HashMap<>();
        commands.keySet().forEach(id -> trails.put(id, trail(id, commands, audits)));
        audits.keySet().forEach(id -> trails.putIfAbsent(id, trail(id, commands, audits)));
        return new Trails(trails);
    }

    private static ReservationTrail trail(final String id, final Map<String, List<BudgetCommand>> commands,
                                          final Map<String, List<AuditRecord>> audits) {
        return new ReservationTrail(id, commands.getOrDefault(id, List.of()), audits.getOrDefault(id, List.of()));
    }

    /** Whether a command is a Commit or a Release. */
    public static boolean isTerminal(final BudgetCommand command) {
        return command.getBody() instanceof Commit || command.getBody() instanceof Release;
    }

    /** The trail of a reservation; empty lists when the ledger holds nothing of it. */
    public ReservationTrail of(final String reservationId) {
        return byId.getOrDefault(reservationId, new ReservationTrail(reservationId, List.of(), List.of()));
    }
}
